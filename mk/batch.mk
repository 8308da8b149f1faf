# mk/batch.mk: `vaegrade batch` (grader/batch/). The driver's sources are
# compiled into vaegrade by the Makefile; this adds what its tests need.
#
# The batch's own code under the sanitizers: tests/grader/test_batch.c runs
# `vaegrade batch` from vaegrade-asan, whose children (`vaegrade grade`,
# by --grader) stay the release binary, since ASan and the sandbox's
# RLIMIT_AS do not mix. It sits in bin/ beside vaegrade so that it finds
# the same root and release directory from /proc/self/exe.
ASAN_VAEGRADE := $(BIN)/vaegrade-asan
$(ASAN_VAEGRADE): $(GRADER_SRC:%.c=$(BUILD)/asan/obj/%.o) $(FRAMEWORK_API).o $(call LIB_ORDER,asan)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $^ $(LDLIBS_CORE) $(LIBS_SANDBOX) -lpthread -o $@
# Their messages into fixed buffers are cut short on purpose; GCC's -O1
# truncation analysis flags that where -O2's does not. Only this build.
$(BUILD)/asan/obj/grader/driver/build.o $(BUILD)/asan/obj/grader/sandbox/jail.o: \
    ASAN_CFLAGS += -Wno-format-truncation
test-build: $(ASAN_VAEGRADE)

# The tests read the Kubernetes Jobs of docker/k8s/ with PyYAML, a Debian
# package that `make test` installs like the others.
TEST_PKGS += python3-yaml
