# ---- sta414-a3: Toronto STA414/CSC412 Assignment 3 (a VAE, 2-D latent) ------
# Its files: include/sta414-a3/assignment.h (the API), reference/sta414-a3/,
# student_stub/sta414-a3/ (density.c, elbo.c, svi.c), tests/sta414-a3/ (the
# reference's suite), tests/sta414-a3-stub/ (every stub says "not
# implemented"), tools/sta414-a3/ (sta414-train and its pictures).
# Everything here is compiled with -iquote include/sta414-a3, so that
# `#include "assignment.h"` finds this assignment's header before CS236's
# (-iquote directories come before every -I one for quoted includes).
STA414 := sta414-a3
STA414_IQUOTE := -iquote include/$(STA414)
STA414_FILES := density elbo svi
STA414_REF_SRC := $(STA414_FILES:%=reference/$(STA414)/%.c)
STA414_STUB_SRC := $(STA414_FILES:%=student_stub/$(STA414)/%.c)
STA414_TOOL_SRC := $(sort $(wildcard tools/$(STA414)/*.c))

define sta414_config_rules
$(BUILD)/$(1)/obj/reference/$(STA414)/%.o: $(2) += $(STA414_IQUOTE)
$(BUILD)/$(1)/obj/student_stub/$(STA414)/%.o: $(2) += $(STA414_IQUOTE)
$(BUILD)/$(1)/obj/tests/$(STA414)/%.o: $(2) += $(STA414_IQUOTE)
$(BUILD)/$(1)/obj/tests/$(STA414)-stub/%.o: $(2) += $(STA414_IQUOTE)
$(BUILD)/$(1)/obj/tools/$(STA414)/%.o: $(2) += $(STA414_IQUOTE) -Itools/$(STA414)
$(BUILD)/$(1)/libreference-$(STA414).a: $(STA414_REF_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
$(BUILD)/$(1)/libstub-$(STA414).a: $(STA414_STUB_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
endef
$(eval $(call sta414_config_rules,rel,REL_CFLAGS))
$(eval $(call sta414_config_rules,asan,ASAN_CFLAGS))
all: $(BUILD)/rel/libreference-$(STA414).a $(BUILD)/rel/libstub-$(STA414).a

# ---- training: make train ASSIGNMENT=sta414-a3 (train-sta414-a3) ------------
# `make train-sta414-a3 SUBMISSION=dir EPOCHS=N SEED=S OUT=dir` builds
# sta414-train with dir's density.c, elbo.c and svi.c (SUBMISSION=reference
# or student_stub mean this tree's reference/sta414-a3 and
# student_stub/sta414-a3), each compiled with fixed flags, never the
# submission's Makefile; a file the folder lacks is taken from the stubs, so
# it says "not implemented" rather than failing to link. Then it trains for
# EPOCHS (the course's 100) on DATA (fixtures/mnist-full) and writes the
# pictures into OUT (runs/sta414-a3 unless OUT is given).
EPOCHS ?= 100
STA414_DATA ?= fixtures/mnist-full
STA414_SUB_DIR := $(if $(filter reference student_stub,$(SUB_DIR)),$(SUB_DIR)/$(STA414),$(SUB_DIR))
STA414_OUT = $(if $(filter command line environment,$(origin OUT)),$(OUT),runs/$(STA414))
sta414_sub_src = $(or $(wildcard $(2)/$(1).c),student_stub/$(STA414)/$(1).c)
sta414_train_bin = $(BUILD)/rel/train-$(STA414)/$(1)/sta414-train

define sta414_train_obj
$(BUILD)/rel/train-$(STA414)/$(1)/$(3).o: $(call sta414_sub_src,$(3),$(2)) $(BUILD)/deps.mk
	@mkdir -p $$(@D)
	$$(CC) $$(SUB_CFLAGS) $$(STA414_IQUOTE) -c $$< -o $$@
endef
define sta414_train_rules
$(foreach f,$(STA414_FILES),$(eval $(call sta414_train_obj,$(1),$(2),$(f))))
$(call sta414_train_bin,$(1)): $(STA414_TOOL_SRC:%.c=$(BUILD)/rel/obj/%.o) \
    $(STA414_FILES:%=$(BUILD)/rel/train-$(STA414)/$(1)/%.o) $(call LIB_ORDER,rel)
	$$(CC) $$(REL_CFLAGS) $$^ $$(LDLIBS_CORE) -o $$@
endef
$(eval $(call sta414_train_rules,reference,reference/$(STA414)))
$(eval $(call sta414_train_rules,student_stub,student_stub/$(STA414)))
ifeq ($(filter reference student_stub,$(SUB_NAME)),)
$(eval $(call sta414_train_rules,$(SUB_NAME),$(SUB_DIR)))
endif
STA414_REF_TRAIN := $(call sta414_train_bin,reference)
all: $(STA414_REF_TRAIN)

ifneq ($(filter train-$(STA414),$(MAKECMDGOALS)),)
ifeq ($(wildcard $(SUB_DIR)/.),)
$(error make train-$(STA414): SUBMISSION=$(SUBMISSION) is not a folder)
endif
endif
.PHONY: train-$(STA414)
train-$(STA414): $(call sta414_train_bin,$(SUB_NAME))
	OPENBLAS_NUM_THREADS=$(THREADS) $(call sta414_train_bin,$(SUB_NAME)) \
	  --data $(STA414_DATA) --epochs $(EPOCHS) --seed $(SEED) \
	  --threads $(THREADS) --out $(STA414_OUT) $(TRAIN_ARGS)
# tests/sta414-a3/test_train_program.c runs the reference's sta414-train
# and the stubs'.
test-build: $(STA414_REF_TRAIN) $(call sta414_train_bin,student_stub)
# `make train ASSIGNMENT=sta414-a3` dispatches to train-sta414-a3 (the top
# Makefile's train rule, which checks the name against ASSIGNMENTS).
ASSIGNMENTS += $(STA414)
