# ---- bench-sta414-a3: STA414 A3's training step, C against PyTorch ----------
# `make bench ASSIGNMENT=sta414-a3` (bench-sta414-a3): sta414-bench (the
# reference elbo, float32 networks) and bench/torch_sta414.py, interleaved
# round by round at 1 thread; the table on stdout, medians in
# $(BENCH_STA414_JSON). bench/README.md, "STA414 A3", says what is measured.
# After mk/sta414-a3.mk (sorted include): its reference library is linked.
BENCH_STA414_STEPS ?= 300
BENCH_STA414_ROUNDS ?= 5
BENCH_STA414_JSON ?= $(BUILD)/bench-sta414-a3.json
BENCH_STA414_DATA ?= fixtures/mnist-full

# The step is sta414-train's (tools/sta414-a3/step.c), so that the bench
# times what the trainer runs.
$(BUILD)/rel/obj/bench/sta414_bench.o: REL_CFLAGS += -iquote include/sta414-a3 -Itools/sta414-a3
$(BIN)/sta414-bench: $(BUILD)/rel/obj/bench/sta414_bench.o \
    $(BUILD)/rel/obj/tools/sta414-a3/step.o \
    $(BUILD)/rel/libreference-sta414-a3.a $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(BIN)/sta414-bench

.PHONY: bench-sta414-a3
bench-sta414-a3: $(BIN)/sta414-bench
	sh bench/bench_vae.sh sta414-a3 'STA414 A3' '784-500-2 tanh, batch 100' \
	  BENCH_STA414_DATA torch_sta414.py $(BIN)/sta414-bench $(BENCH_STA414_JSON) \
	  $(BENCH_STA414_STEPS) $(BENCH_STA414_ROUNDS) $(BENCH_STA414_DATA)
