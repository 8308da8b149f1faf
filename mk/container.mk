# ---- the instructors' grading image (docker/) --------------------------------
# `make autograder`: Gradescope's zip (docker/make-autograder.sh), for
# instructors only: it holds the reference and the hidden data.
# `make container-check`: the image's scripts in a real bookworm root made
# by mmdebstrap, run with chroot and no network (docker/container-check.sh,
# as root); `make container-limits`: the reference's whole grade there on
# one shared core, its wall time and peak memory.
AUTOGRADER_ZIP := $(BUILD)/autograder.zip
CONTAINER_WORK := $(BUILD)/container

.PHONY: autograder container-check container-limits
autograder:
	sh docker/make-autograder.sh $(AUTOGRADER_ZIP)
container-check: autograder
	sh docker/container-check.sh $(AUTOGRADER_ZIP) $(CONTAINER_WORK)
container-limits: | $(AUTOGRADER_ZIP)
	sh docker/container-check.sh $(AUTOGRADER_ZIP) $(CONTAINER_WORK) --limits
# container-limits reuses the root of the last check when the zip has not
# changed since: it makes the zip only when there is none.
$(AUTOGRADER_ZIP):
	sh docker/make-autograder.sh $@
