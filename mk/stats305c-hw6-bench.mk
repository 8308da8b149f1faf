# ---- bench-stats305c-hw6: STATS 305C HW6's training step, C against PyTorch
# `make bench ASSIGNMENT=stats305c-hw6` (bench-stats305c-hw6):
# stats305c-bench (the reference elbo, float32 networks) and
# bench/torch_stats305c.py, interleaved round by round at 1 thread; the
# table on stdout, medians in $(BENCH_STATS305C_JSON). bench/README.md,
# "STATS 305C HW6", says what is measured. This file sorts before
# mk/stats305c-hw6.mk, so it names the paths its rules need itself.
BENCH_STATS305C_STEPS ?= 300
BENCH_STATS305C_ROUNDS ?= 5
BENCH_STATS305C_JSON ?= $(BUILD)/bench-stats305c-hw6.json
BENCH_STATS305C_DATA ?= fixtures/mnist-full

# The step is stats305c-train's (tools/stats305c-hw6/step.c), so that the
# bench times what the trainer runs.
$(BUILD)/rel/obj/bench/stats305c_bench.o: REL_CFLAGS += -iquote include/stats305c-hw6 -Itools/stats305c-hw6
$(BIN)/stats305c-bench: $(BUILD)/rel/obj/bench/stats305c_bench.o \
    $(BUILD)/rel/obj/tools/stats305c-hw6/step.o \
    $(BUILD)/rel/libreference-stats305c-hw6.a $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(BIN)/stats305c-bench

.PHONY: bench-stats305c-hw6
bench-stats305c-hw6: $(BIN)/stats305c-bench
	sh bench/bench_vae.sh stats305c-hw6 'STATS 305C HW6' \
	  '784-512-256-2 / 2-256-512-784 ReLU, batch 64' BENCH_STATS305C_DATA \
	  torch_stats305c.py $(BIN)/stats305c-bench $(BENCH_STATS305C_JSON) \
	  $(BENCH_STATS305C_STEPS) $(BENCH_STATS305C_ROUNDS) $(BENCH_STATS305C_DATA)
