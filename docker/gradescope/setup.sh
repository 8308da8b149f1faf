#!/usr/bin/env bash
# Gradescope's setup.sh (at the autograder zip's root, run once as root
# when the image is built): the project's tree is /autograder/source;
# docker/image-setup.sh installs, builds and warms it.
set -euo pipefail
sh /autograder/source/docker/image-setup.sh /autograder/source
