# ---- the reference data of a student release --------------------------------
# `make release-data` writes $(RELEASE_DATA): what the release's driver needs
# of the reference for the profile's visible checks (grader/README.md,
# "Release mode"): runner-ref's results and calibrations per case, keyed
# the release's way (ref_cache.h), recorded by grading the reference with
# --write-reference-data, plus runner-eval. The release copies the folder
# verbatim to <release root>/refdata/.
RELEASE_DATA := $(BUILD)/release-data

# runner-eval: the short runs' evaluation half and nothing else
# (cs236-hw2/eval_tasks.c replaces the task lookup), linked with the
# reference. Compiled apart with one section per function and datum so that
# the linker drops every reference function the evaluation never reaches
# (the IWAE bounds, the other tasks), then stripped of every symbol.
EVAL_DIR := $(BUILD)/eval
EVAL_CFLAGS := $(REL_CFLAGS) -ffunction-sections -fdata-sections
$(EVAL_DIR)/obj/%.o: %.c $(BUILD)/deps.mk
	@mkdir -p $(@D)
	$(CC) $(EVAL_CFLAGS) -c $< -o $@

EVAL_LIB := $(EVAL_DIR)/librunner-eval.a
$(EVAL_LIB): $(patsubst %.c,$(EVAL_DIR)/obj/%.o,$(filter-out grader/runner/tasks.c \
    grader/runner/runner_main.c,$(RUNNER_SRC)) $(call runner_tasks_src,cs236-hw2))
# The reference files whose short runs it evaluates, as objects (so their
# strong definitions win over weak_api.o's stubs); fsvae.c has no short
# run, and the tasks' model dispatch reaches only its stub.
EVAL_REF := $(patsubst %,$(EVAL_DIR)/obj/reference/%.o,utils vae gmvae ssvae)

RUNNER_EVAL := $(EVAL_DIR)/runner-eval
# The unstripped link is kept beside it (never shipped), to see what the
# stripped one holds: `nm $(RUNNER_EVAL).unstripped`.
$(RUNNER_EVAL): $(EVAL_DIR)/obj/grader/cs236-hw2/eval_tasks.o \
    $(EVAL_DIR)/obj/grader/runner/runner_main.o $(EVAL_REF) \
    $(EVAL_DIR)/obj/grader/cs236-hw2/weak_api.o $(EVAL_LIB) $(call LIB_ORDER,rel)
	$(CC) $(EVAL_CFLAGS) -Wl,--gc-sections $^ $(LDLIBS_CORE) $(LIBS_SANDBOX) -o $@.unstripped
	strip --strip-all -o $@ $@.unstripped

# The data: the reference graded with --write-reference-data (every case's
# result and calibration), then graded again from the data alone
# (--reference-data): the release mode must give the reference the same
# total, or the data is incomplete and the rule fails.
RELEASE_FIXTURES := $(shell find fixtures/mnist fixtures/mnist-full fixtures/pretrained -type f 2>/dev/null) \
    fixtures/thresholds.json
.PHONY: release-data
release-data: $(RELEASE_DATA)/KEY
$(RELEASE_DATA)/KEY: $(GRADER_PROGRAMS) $(RUNNER_EVAL) grader/profiles/default.json \
    $(RELEASE_FIXTURES)
	rm -rf $(RELEASE_DATA) $(RELEASE_DATA).tmp
	OPENBLAS_NUM_THREADS=1 $(BIN)/vaegrade grade reference --jobs 2 \
	  --write-reference-data $(RELEASE_DATA).tmp --json $(BUILD)/release-data.full.json \
	  > $(BUILD)/release-data.full.log
	cp $(RUNNER_EVAL) $(RELEASE_DATA).tmp/runner-eval
	OPENBLAS_NUM_THREADS=1 $(BIN)/vaegrade grade reference --jobs 2 \
	  --reference-data $(RELEASE_DATA).tmp --json $(BUILD)/release-data.release.json \
	  > $(BUILD)/release-data.release.log
	@for m in full release; do sed -n 's/ *elapsed.*//; /^Total/p' \
	  $(BUILD)/release-data.$$m.log > $(BUILD)/release-data.$$m.total; done
	@cmp -s $(BUILD)/release-data.full.total $(BUILD)/release-data.release.total || \
	  { echo "release-data: the reference graded from the data got"; \
	    cat $(BUILD)/release-data.release.total; echo "but with runner-ref"; \
	    cat $(BUILD)/release-data.full.total; exit 1; }
	mv $(RELEASE_DATA).tmp $(RELEASE_DATA)
	@echo "release-data: $$(ls $(RELEASE_DATA) | wc -l) files, $$(du -sh $(RELEASE_DATA) | cut -f1), reference $$(cat $(BUILD)/release-data.release.total)"

# The grader suite's release tests (tests/grader/test_release.c) assemble a
# release root of their own and need runner-eval.
test-build: $(RUNNER_EVAL)
