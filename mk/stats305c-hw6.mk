# ---- stats305c-hw6: Stanford STATS 305C Assignment 6 (GD, a classifier, a VAE)
# Its files: include/stats305c-hw6/assignment.h (the API),
# reference/stats305c-hw6/, student_stub/stats305c-hw6/ (optim.c, bce.c,
# classifier.c, vae_terms.c, vae_elbo.c), tests/stats305c-hw6/ (the reference's
# suite), tests/stats305c-hw6-stub/ (every stub says "not implemented").
# Course code (the quadratic objective, the annulus data and network) is
# the framework's: objective.h, annulus.h. Everything here is compiled with
# -iquote include/stats305c-hw6, so that `#include "assignment.h"` finds
# this assignment's header before CS236's (as mk/sta414-a3.mk does).
# The suites link libreference-stats305c-hw6.a / libstub-stats305c-hw6.a
# (SUITE_ASSIGNMENTS, top Makefile). Training and pictures: tools/ and
# mk/stats305c-hw6-train.mk (not here).
STATS305C := stats305c-hw6
STATS305C_IQUOTE := -iquote include/$(STATS305C)
STATS305C_FILES := optim bce classifier vae_terms vae_elbo
STATS305C_REF_SRC := $(STATS305C_FILES:%=reference/$(STATS305C)/%.c)
STATS305C_STUB_SRC := $(STATS305C_FILES:%=student_stub/$(STATS305C)/%.c)

define stats305c_config_rules
$(BUILD)/$(1)/obj/reference/$(STATS305C)/%.o: $(2) += $(STATS305C_IQUOTE)
$(BUILD)/$(1)/obj/student_stub/$(STATS305C)/%.o: $(2) += $(STATS305C_IQUOTE)
$(BUILD)/$(1)/obj/tests/$(STATS305C)/%.o: $(2) += $(STATS305C_IQUOTE)
$(BUILD)/$(1)/obj/tests/$(STATS305C)-stub/%.o: $(2) += $(STATS305C_IQUOTE)
$(BUILD)/$(1)/obj/tools/$(STATS305C)/%.o: $(2) += $(STATS305C_IQUOTE) -Itools/$(STATS305C)
$(BUILD)/$(1)/libreference-$(STATS305C).a: $(STATS305C_REF_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
$(BUILD)/$(1)/libstub-$(STATS305C).a: $(STATS305C_STUB_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
endef
$(eval $(call stats305c_config_rules,rel,REL_CFLAGS))
$(eval $(call stats305c_config_rules,asan,ASAN_CFLAGS))
all: $(BUILD)/rel/libreference-$(STATS305C).a $(BUILD)/rel/libstub-$(STATS305C).a

# ---- the reference's spread over seeds (README, stats305c-hw6) ---------------
# `make stats305c-spread [SPREAD_SEEDS=40]` prints, per seed, problem 2's
# training accuracy and final loss and problem 1's Adam final f on the
# shifted 10-D problem: what the suite's bounds (tests/stats305c-hw6) and
# the grader's thresholds are read from.
SPREAD_SEEDS ?= 40
$(BIN)/stats305c-spread: $(BUILD)/rel/obj/tools/stats305c_spread.o \
    $(BUILD)/rel/libreference-$(STATS305C).a $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
$(BUILD)/rel/obj/tools/stats305c_spread.o: REL_CFLAGS += $(STATS305C_IQUOTE)
all: $(BIN)/stats305c-spread
.PHONY: stats305c-spread
stats305c-spread: $(BIN)/stats305c-spread
	OPENBLAS_NUM_THREADS=1 $(BIN)/stats305c-spread --seeds $(SPREAD_SEEDS)
