# mk/hidden.mk: the grader's version and the official grade's hidden
# checks. Included by the Makefile after every variable it sets.

# ---- the version: VERSION, compiled in (a release tarball has no git) -------
# The header is what grader/version/version.c includes; VERSION must be one
# short word of letters, digits and ". + -" (the release stamp's rule).
VERSION_H := $(BUILD)/rel/gen/vg_version.h
$(VERSION_H): VERSION
	@mkdir -p $(@D)
	@v=$$(cat VERSION); case "$$v" in ''|*[!0-9A-Za-z.+-]*) \
	  echo "VERSION: \"$$v\" is not a version (letters, digits, . + -)"; exit 1;; esac; \
	  [ $${#v} -le 32 ] || { echo "VERSION: longer than 32 characters"; exit 1; }; \
	  printf '/* Generated from VERSION by mk/hidden.mk. */\n#define VG_VERSION "%s"\n' "$$v" > $@.tmp
	@mv $@.tmp $@
$(BUILD)/rel/obj/grader/version/version.o: $(VERSION_H)
$(BUILD)/rel/obj/grader/version/version.o: REL_CFLAGS += -I$(BUILD)/rel/gen
# The sanitised driver (vaegrade-asan, mk/batch.mk) compiles it too.
$(BUILD)/asan/obj/grader/version/version.o: $(VERSION_H)
$(BUILD)/asan/obj/grader/version/version.o: ASAN_CFLAGS += -I$(BUILD)/rel/gen

# ---- make fixtures-hidden ----------------------------------------------------
# fixtures/hidden/thresholds.json (the short runs' statistics on the hidden
# subset: fixtures-hidden-thresholds, in the Makefile) and
# fixtures/hidden/profile.json (the hidden checks' seeds and knobs), then
# the manifest. The seeds are drawn from HIDDEN_SEED: a course changes it
# (and keeps fixtures/hidden/ out of what students see) so that its hidden
# seeds are its own.
HIDDEN_SEED ?= 4815162342
# Per assignment (ASSIGNMENT=..., the top Makefile): its profile, and where
# its hidden profile goes (main/assignments.c names the same path).
HIDDEN_PROFILE_OF_cs236-hw2 := grader/profiles/default.json
HIDDEN_PROFILE_OUT_cs236-hw2 := fixtures/hidden/profile.json
HIDDEN_PROFILE_OF_sysu-hw4 := grader/profiles/sysu-hw4.json
HIDDEN_PROFILE_OUT_sysu-hw4 := fixtures/hidden/sysu-hw4/profile.json
HIDDEN_PROFILE_OF ?= $(HIDDEN_PROFILE_OF_$(ASSIGNMENT))
HIDDEN_PROFILE_OUT ?= $(HIDDEN_PROFILE_OUT_$(ASSIGNMENT))
$(BIN)/vg-hidden-profile: $(BUILD)/rel/obj/tools/hidden_profile.o $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(BIN)/vg-hidden-profile

.PHONY: fixtures-hidden fixtures-hidden-profile
fixtures-hidden: fixtures-hidden-thresholds fixtures-hidden-profile
	$(MAKE) --no-print-directory fixtures-manifest
# The grader loads what was written, as --hidden does: a hidden check
# without seeds, or with a public seed, stops here.
fixtures-hidden-profile: $(BIN)/vg-hidden-profile $(BIN)/vaegrade
	@mkdir -p $(dir $(HIDDEN_PROFILE_OUT))
	$(BIN)/vg-hidden-profile --profile $(HIDDEN_PROFILE_OF) --seed $(HIDDEN_SEED) \
	  --out $(HIDDEN_PROFILE_OUT)
	$(BIN)/vaegrade list --hidden --assignment $(ASSIGNMENT) --profile $(HIDDEN_PROFILE_OF) \
	  --hidden-profile $(HIDDEN_PROFILE_OUT) > /dev/null
