# ---- sta414-a3's grader: runner-ref-sta414-a3 and what runner-sub links ------
# (grader/README.md, "Adding an assignment", step 4.) The driver's side,
# grader/sta414-a3/checks*.c, joins vaegrade through GRADER_ASSIGNMENTS
# (grader/sources.mk); everything else of grader/sta414-a3/ is the runner
# side: librunner-sta414-a3.a (its tasks, the fixture loader and part 4's
# trusted fit and estimate), weak_api-sta414-a3.o (a not-implemented stub of
# every API function) and lib/ref-sta414-a3/density.o (the reference's
# density.c, linked under elbo.c and svi.c, which may call it), and
# runner-ref-sta414-a3 (the tasks linked with the whole reference).
# Objects of grader/sta414-a3/ see sta414's assignment.h (-iquote, as
# mk/sta414-a3.mk does for the reference).
# (This file sorts before mk/sta414-a3.mk, so it names what it needs of
# that file itself rather than reading its variables.)
S414G := sta414-a3
S414G_IQUOTE := -iquote include/$(S414G)
$(BUILD)/rel/obj/grader/$(S414G)/%.o: REL_CFLAGS += $(S414G_IQUOTE)
$(BUILD)/asan/obj/grader/$(S414G)/%.o: ASAN_CFLAGS += $(S414G_IQUOTE)

S414G_TASKS_LIB := $(GLIB)/librunner-$(S414G).a
S414G_WEAK_OBJ := $(GLIB)/weak_api-$(S414G).o
S414G_REF_DENSITY := $(GLIB)/ref-$(S414G)/density.o
S414G_REF_OBJS := $(patsubst %,$(BUILD)/rel/obj/reference/$(S414G)/%.o,density elbo svi)
S414G_RUNNER_REF := $(BIN)/runner-ref-$(S414G)

$(S414G_TASKS_LIB): $(patsubst %.c,$(BUILD)/rel/obj/%.o,$(call runner_tasks_src,$(S414G)))
$(S414G_WEAK_OBJ): $(BUILD)/rel/obj/grader/$(S414G)/weak_api.o
	@mkdir -p $(@D)
	cp $< $@
$(S414G_REF_DENSITY): $(BUILD)/rel/obj/reference/$(S414G)/density.o
	@mkdir -p $(@D)
	rm -f $(@D)/*.o && cp $< $@
$(S414G_RUNNER_REF): $(S414G_REF_OBJS) $(S414G_WEAK_OBJ) $(S414G_TASKS_LIB) $(RUNNER_LIB) $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $(S414G_REF_OBJS) $(S414G_WEAK_OBJ) -Wl,--start-group $(S414G_TASKS_LIB) \
	  $(RUNNER_LIB) -Wl,--end-group $(call LIB_ORDER,rel) $(LDLIBS_CORE) $(LIBS_SANDBOX) -o $@

S414G_PROGRAMS := $(S414G_RUNNER_REF) $(S414G_TASKS_LIB) $(S414G_WEAK_OBJ) $(S414G_REF_DENSITY)
GRADER_PROGRAMS += $(S414G_PROGRAMS)
all: $(S414G_PROGRAMS)
test-build: $(S414G_PROGRAMS)
grade: $(S414G_PROGRAMS)

# ---- part 4's thresholds: make fixtures-thresholds-sta414-a3 -----------------
# sta414-a3-spread runs the grader's SVI optimisation (svi_eval.h) with the
# reference's svi_top_elbo over S414_SPREAD_SEEDS seeds per digit, and the
# short training run (short_run.h) with the reference's elbo over as many
# seeds, and writes their means and standard deviations to
# fixtures/sta414-a3/thresholds.json, from which the checks 4.7 and 2.4
# build their one-sided prediction bounds (about 3 minutes of one core).
S414_SPREAD_SEEDS ?= 20
S414G_SPREAD := $(BIN)/sta414-a3-spread
$(BUILD)/rel/obj/grader/$(S414G)/tools/%.o: REL_CFLAGS += $(S414G_IQUOTE)
$(S414G_SPREAD): $(BUILD)/rel/obj/grader/$(S414G)/tools/spread.o \
    $(BUILD)/rel/obj/grader/$(S414G)/svi_eval.o $(BUILD)/rel/obj/grader/runner/vae_short_run.o $(S414G_REF_OBJS) $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(S414G_SPREAD)
.PHONY: fixtures-thresholds-$(S414G)
fixtures-thresholds-$(S414G): $(S414G_SPREAD)
	@mkdir -p fixtures/$(S414G)
	OPENBLAS_NUM_THREADS=1 $(S414G_SPREAD) --seeds $(S414_SPREAD_SEEDS) --short-seeds $(S414_SPREAD_SEEDS) \
	  --data fixtures/mnist-full > fixtures/$(S414G)/thresholds.json.tmp
	mv fixtures/$(S414G)/thresholds.json.tmp fixtures/$(S414G)/thresholds.json
	$(MAKE) --no-print-directory fixtures-manifest
