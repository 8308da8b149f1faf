# ---- training: make train ASSIGNMENT=stats305c-hw6 (train-stats305c-hw6) ----
# `make train-stats305c-hw6 SUBMISSION=dir EPOCHS=N SEED=S OUT=dir` builds
# stats305c-train (tools/stats305c-hw6/) with dir's optim.c, bce.c,
# classifier.c, vae_terms.c and vae_elbo.c (SUBMISSION=reference or student_stub
# mean this tree's reference/stats305c-hw6 and student_stub/stats305c-hw6),
# each compiled with fixed flags, never the submission's Makefile; a file
# the folder lacks is taken from the stubs, so that problem is skipped as
# "not implemented" while the others run. It runs the three problems,
# problem 3 for EPOCHS (the course's 20) on S305T_DATA (the full MNIST:
# fixtures/mnist-full), prints the course's figures (problem 3's test ELBO
# last) and writes every picture into OUT (runs/stats305c-hw6 unless OUT
# is given). The objects of tools/stats305c-hw6/ get -iquote
# include/stats305c-hw6 from mk/stats305c-hw6.mk.
# This file sorts before mk/stats305c-hw6.mk, so it names what its rules
# need itself (S305T_*), as mk/sta414-a3-grade.mk does.
S305T := stats305c-hw6
S305T_IQUOTE := -iquote include/$(S305T)
S305T_FILES := optim bce classifier vae_terms vae_elbo
S305T_TOOL_SRC := $(sort $(wildcard tools/$(S305T)/*.c))
S305T_DATA ?= fixtures/mnist-full
# EPOCHS and OUT are shared names (mk/sta414-a3.mk defaults EPOCHS to its
# course's 100): this course's defaults unless given on the command line.
S305T_EPOCHS = $(if $(filter command line environment,$(origin EPOCHS)),$(EPOCHS),20)
S305T_OUT = $(if $(filter command line environment,$(origin OUT)),$(OUT),runs/$(S305T))
S305T_SUB_DIR := $(if $(filter reference student_stub,$(SUB_DIR)),$(SUB_DIR)/$(S305T),$(SUB_DIR))
s305t_sub_src = $(or $(wildcard $(2)/$(1).c),student_stub/$(S305T)/$(1).c)
s305t_bin = $(BUILD)/rel/train-$(S305T)/$(1)/stats305c-train

define s305t_obj
$(BUILD)/rel/train-$(S305T)/$(1)/$(3).o: $(call s305t_sub_src,$(3),$(2)) $(BUILD)/deps.mk
	@mkdir -p $$(@D)
	$$(CC) $$(SUB_CFLAGS) $$(S305T_IQUOTE) -c $$< -o $$@
endef
define s305t_rules
$(foreach f,$(S305T_FILES),$(eval $(call s305t_obj,$(1),$(2),$(f))))
$(call s305t_bin,$(1)): $(S305T_TOOL_SRC:%.c=$(BUILD)/rel/obj/%.o) \
    $(S305T_FILES:%=$(BUILD)/rel/train-$(S305T)/$(1)/%.o) $(call LIB_ORDER,rel)
	$$(CC) $$(REL_CFLAGS) $$^ $$(LDLIBS_CORE) -o $$@
endef
$(eval $(call s305t_rules,reference,reference/$(S305T)))
$(eval $(call s305t_rules,student_stub,student_stub/$(S305T)))
ifeq ($(filter reference student_stub,$(SUB_NAME)),)
$(eval $(call s305t_rules,$(SUB_NAME),$(S305T_SUB_DIR)))
endif
S305T_REF_TRAIN := $(call s305t_bin,reference)
all: $(S305T_REF_TRAIN)

ifneq ($(filter train-$(S305T),$(MAKECMDGOALS)),)
ifeq ($(wildcard $(SUB_DIR)/.),)
$(error make train-$(S305T): SUBMISSION=$(SUBMISSION) is not a folder)
endif
endif
.PHONY: train-$(S305T)
train-$(S305T): $(call s305t_bin,$(SUB_NAME))
	OPENBLAS_NUM_THREADS=$(THREADS) $(call s305t_bin,$(SUB_NAME)) \
	  --data $(S305T_DATA) --epochs $(S305T_EPOCHS) --seed $(SEED) \
	  --threads $(THREADS) --out $(S305T_OUT) $(TRAIN_ARGS)
# tests/stats305c-hw6/test_train_program.c runs the reference's
# stats305c-train and the stubs'.
test-build: $(S305T_REF_TRAIN) $(call s305t_bin,student_stub)
# `make train ASSIGNMENT=stats305c-hw6` dispatches to train-stats305c-hw6
# (the top Makefile's train rule checks the name against ASSIGNMENTS, which
# mk/stats305c-hw6.mk extends).
# Added here unless a file before this one (mk/stats305c-hw6-grade.mk)
# already did, so that the name is listed once.
ASSIGNMENTS += $(if $(filter $(S305T),$(ASSIGNMENTS)),,$(S305T))
