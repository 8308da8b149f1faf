# torch_env.sh: sourced by bench/bench.sh and bench/bench_vae.sh (POSIX
# sh): finds PyTorch for the benchmarks' Python side, installing it first on
# a fresh machine. Sets py (the Python), have_torch (1 or 0) and
# torch_version. Needs `here` (the bench folder) set by the caller.
#
# Debian's python3-torch (and numpy) are installed the way the build's
# packages are (tools/deps.sh: apt-get as root, else the one apt-get line to
# run), for Debian's /usr/bin/python3 only; a TORCH_PYTHON of one's own is
# taken as it is.
py=${TORCH_PYTHON:-/usr/bin/python3}
torch_version=""
torch_importable() {
    [ -x "$py" ] && torch_version=$("$py" -c 'import torch, numpy; print(torch.__version__)' 2>/dev/null)
}
if ! torch_importable && [ -z "${TORCH_PYTHON:-}" ]; then
    echo "bench: PyTorch is missing; installing Debian's python3-torch (about 140 MB to download, 600 MB installed) through tools/deps.sh"
    sh "$here/../tools/deps.sh" python3-torch python3-numpy > /dev/null || true
fi
if torch_importable; then
    have_torch=1
else
    have_torch=0
    echo "bench: PyTorch not found ($py cannot import torch and numpy; apt-get install python3-torch python3-numpy); C figures alone"
fi
