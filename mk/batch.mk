# mk/batch.mk: `vaegrade batch` (grader/batch/) needs no rules of its own:
# the driver's sources are compiled in by the Makefile. Its tests
# (tests/grader/test_batch.c) read the Kubernetes Jobs of docker/k8s/ with
# PyYAML, a Debian package that `make test` installs like the others.
TEST_PKGS += python3-yaml
