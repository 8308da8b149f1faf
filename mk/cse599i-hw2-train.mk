# ---- cse599i-hw2's training program: make train ASSIGNMENT=cse599i-hw2 -------
# (mk/cse599i-hw2.mk has the assignment's libraries and suites; this file
# the trainer alone, so the two change apart.)
# `make train-cse599i-hw2 SUBMISSION=dir STEPS=N SEED=S OUT=dir` builds
# cse599i-train with dir's kl.c, elbo.c, importance.c and flow.c
# (SUBMISSION=reference or student_stub mean this tree's
# reference/cse599i-hw2 and student_stub/cse599i-hw2), each compiled with
# fixed flags, never the submission's Makefile; a file the folder lacks is
# taken from the stubs, so it says "not implemented" rather than failing to
# link. Then it trains the Gaussian, the discrete and the IAF VAE for STEPS
# steps each (5,000: a few minutes a model on one core) on CSE599I_DATA
# (fixtures/mnist-full) and writes the pictures into OUT (runs/cse599i-hw2
# unless OUT is given). TRAIN_ARGS passes more (--models iaf, --repeats R,
# --is-samples M).
CSE599I := cse599i-hw2
CSE599I_TRAIN_IQUOTE := -iquote include/$(CSE599I)
CSE599I_TRAIN_FILES := kl elbo importance flow
CSE599I_TOOL_SRC := $(sort $(wildcard tools/$(CSE599I)/*.c))
# STEPS only from the command line or the environment: another file's
# default of that name must not become this one's.
CSE599I_STEPS ?= $(if $(filter command line environment,$(origin STEPS)),$(STEPS),5000)
CSE599I_DATA ?= fixtures/mnist-full
CSE599I_SUB_DIR := $(if $(filter reference student_stub,$(SUB_DIR)),$(SUB_DIR)/$(CSE599I),$(SUB_DIR))
CSE599I_OUT = $(if $(filter command line environment,$(origin OUT)),$(OUT),runs/$(CSE599I))
cse599i_sub_src = $(or $(wildcard $(2)/$(1).c),student_stub/$(CSE599I)/$(1).c)
cse599i_train_bin = $(BUILD)/rel/train-$(CSE599I)/$(1)/cse599i-train

$(BUILD)/rel/obj/tools/$(CSE599I)/%.o: REL_CFLAGS += $(CSE599I_TRAIN_IQUOTE) -Itools/$(CSE599I)

define cse599i_train_obj
$(BUILD)/rel/train-$(CSE599I)/$(1)/$(3).o: $(call cse599i_sub_src,$(3),$(2)) $(BUILD)/deps.mk
	@mkdir -p $$(@D)
	$$(CC) $$(SUB_CFLAGS) $$(CSE599I_TRAIN_IQUOTE) -c $$< -o $$@
endef
define cse599i_train_rules
$(foreach f,$(CSE599I_TRAIN_FILES),$(eval $(call cse599i_train_obj,$(1),$(2),$(f))))
$(call cse599i_train_bin,$(1)): $(CSE599I_TOOL_SRC:%.c=$(BUILD)/rel/obj/%.o) \
    $(CSE599I_TRAIN_FILES:%=$(BUILD)/rel/train-$(CSE599I)/$(1)/%.o) $(call LIB_ORDER,rel)
	$$(CC) $$(REL_CFLAGS) $$^ $$(LDLIBS_CORE) -o $$@
endef
$(eval $(call cse599i_train_rules,reference,reference/$(CSE599I)))
$(eval $(call cse599i_train_rules,student_stub,student_stub/$(CSE599I)))
ifeq ($(filter reference student_stub,$(SUB_NAME)),)
$(eval $(call cse599i_train_rules,$(SUB_NAME),$(SUB_DIR)))
endif
CSE599I_REF_TRAIN := $(call cse599i_train_bin,reference)
CSE599I_STUB_TRAIN := $(call cse599i_train_bin,student_stub)

ifneq ($(filter train-$(CSE599I),$(MAKECMDGOALS)),)
ifeq ($(wildcard $(SUB_DIR)/.),)
$(error make train-$(CSE599I): SUBMISSION=$(SUBMISSION) is not a folder)
endif
endif
.PHONY: train-$(CSE599I)
train-$(CSE599I): $(call cse599i_train_bin,$(SUB_NAME))
	OPENBLAS_NUM_THREADS=$(THREADS) $(call cse599i_train_bin,$(SUB_NAME)) \
	  --data $(CSE599I_DATA) --steps $(CSE599I_STEPS) --seed $(SEED) \
	  --threads $(THREADS) --out $(CSE599I_OUT) $(TRAIN_ARGS)
# Built by default (and for tests/cse599i-hw2/test_train_program.c, which
# runs the reference's cse599i-train and the stubs') once the framework
# has the flow (framework/iaf.c).
ifneq ($(wildcard framework/iaf.c),)
all: $(CSE599I_REF_TRAIN)
test-build: $(CSE599I_REF_TRAIN) $(CSE599I_STUB_TRAIN)
endif

# ---- the README's figures: C beside PyTorch ----------------------------------
# `make figures-cse599i-hw2 [CSE599I_STEPS=N]`: bench/cse599i_figures.sh,
# the reference's cse599i-train then bench/torch_cse599i.py, one thread
# each, a Markdown table of test ELBO, IS log-likelihood and times.
.PHONY: figures-$(CSE599I)
figures-$(CSE599I): $(CSE599I_REF_TRAIN)
	sh bench/cse599i_figures.sh $(CSE599I_REF_TRAIN) $(CSE599I_STEPS)

# `make train ASSIGNMENT=cse599i-hw2` dispatches to train-cse599i-hw2 (the
# top Makefile's train rule checks the name against ASSIGNMENTS; whichever
# of this file and mk/cse599i-hw2.mk comes first adds it).
ASSIGNMENTS += $(filter-out $(ASSIGNMENTS),$(CSE599I))

# ---- bench-cse599i-hw2: a training step of each model, C against PyTorch -----
# `make bench ASSIGNMENT=cse599i-hw2`: bench/bench_cse599i.sh runs
# cse599i-train (the reference) and bench/torch_cse599i.py model by model,
# interleaved round by round at 1 thread; the table on stdout, medians in
# $(BENCH_CSE599I_JSON).
BENCH_CSE599I_STEPS ?= 300
BENCH_CSE599I_ROUNDS ?= 3
BENCH_CSE599I_JSON ?= $(BUILD)/bench-$(CSE599I).json
.PHONY: bench-$(CSE599I)
bench-$(CSE599I): $(CSE599I_REF_TRAIN)
	sh bench/bench_cse599i.sh $(CSE599I_REF_TRAIN) $(BENCH_CSE599I_JSON) \
	  $(BENCH_CSE599I_STEPS) $(BENCH_CSE599I_ROUNDS) $(CSE599I_DATA)
