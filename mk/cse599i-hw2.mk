# ---- cse599i-hw2: UW CSE 599i Homework 2 (Gaussian and discrete VAEs, IS, an IAF)
# Its files: include/cse599i-hw2/assignment.h (the API), reference/cse599i-hw2/,
# student_stub/cse599i-hw2/ (kl.c, elbo.c, importance.c, flow.c),
# tests/cse599i-hw2/ (the reference's suite), tests/cse599i-hw2-stub/ (every
# stub says "not implemented"). The framework pieces it needs (made.h, iaf.h)
# are in framework/. Everything here is compiled with
# -iquote include/cse599i-hw2, so that `#include "assignment.h"` finds this
# assignment's header before CS236's (-iquote directories come before every
# -I one for quoted includes). The top Makefile's SUITE_ASSIGNMENTS names it,
# so that its two suites link libreference-cse599i-hw2.a and
# libstub-cse599i-hw2.a.
CSE599I := cse599i-hw2
CSE599I_IQUOTE := -iquote include/$(CSE599I)
CSE599I_FILES := kl elbo importance flow
CSE599I_REF_SRC := $(CSE599I_FILES:%=reference/$(CSE599I)/%.c)
CSE599I_STUB_SRC := $(CSE599I_FILES:%=student_stub/$(CSE599I)/%.c)

define cse599i_config_rules
$(BUILD)/$(1)/obj/reference/$(CSE599I)/%.o: $(2) += $(CSE599I_IQUOTE)
$(BUILD)/$(1)/obj/student_stub/$(CSE599I)/%.o: $(2) += $(CSE599I_IQUOTE)
$(BUILD)/$(1)/obj/tests/$(CSE599I)/%.o: $(2) += $(CSE599I_IQUOTE)
$(BUILD)/$(1)/obj/tests/$(CSE599I)-stub/%.o: $(2) += $(CSE599I_IQUOTE)
$(BUILD)/$(1)/libreference-$(CSE599I).a: $(CSE599I_REF_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
$(BUILD)/$(1)/libstub-$(CSE599I).a: $(CSE599I_STUB_SRC:%.c=$(BUILD)/$(1)/obj/%.o)
endef
$(eval $(call cse599i_config_rules,rel,REL_CFLAGS))
$(eval $(call cse599i_config_rules,asan,ASAN_CFLAGS))
all: $(BUILD)/rel/libreference-$(CSE599I).a $(BUILD)/rel/libstub-$(CSE599I).a
