# ---- the student release (release/): make student-release, release-check ----
# The tarball a course hands out: the stubs, the public headers and
# fixtures, the driver's, runners' and trainer's source, the profile and
# the reference's recorded outputs (make release-data); no reference code.
# release/README.md is the students' page; README.md, "Making the student
# release", the staff's.
RELEASE_VERSION := $(or $(shell cat VERSION 2>/dev/null),$(shell git describe --always --dirty 2>/dev/null),unversioned)
RELEASE_TGZ := $(BUILD)/release/vaegrade-student-cs236-hw2-$(RELEASE_VERSION).tar.gz
RELEASE_DATA ?= $(BUILD)/release-data

.PHONY: student-release release-check
student-release: release-data
	sh release/pack.sh $(RELEASE_VERSION) $(RELEASE_DATA) $(RELEASE_TGZ)

# Unpacks the tarball outside the tree, proves it holds no answer, builds and
# grades it as a student would, and compares a one-mistake file's grade with
# this tree's grader (release/check.sh says what each step proves).
release-check: student-release $(GRADER_PROGRAMS) $(BUILD)/rel/libreference.a
	@sh tools/deps.sh jq zip unzip > /dev/null
	sh release/check.sh $(RELEASE_VERSION) $(RELEASE_DATA) $(RELEASE_TGZ) $(BIN)/vaegrade
