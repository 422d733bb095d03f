# SPDX-License-Identifier: GPL-2.0
#
# conf.py - Sphinx configuration of gmm's documentation (tools/docs/build.sh,
# `make docs`): Documentation/*.rst, with the kernel-doc directive
# (tools/docs/sphinx/kerneldoc.py) pulling the API reference out of the
# sources.
import os
import sys

top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "sphinx"))

project = "gmm"
copyright = "gmm authors; GPL-2.0"
master_doc = "index"
extensions = ["kerneldoc"]
primary_domain = "c"
highlight_language = "none"
exclude_patterns = []

# The kernel-doc script (build.sh finds one) and where the paths of the
# directives start.
kerneldoc_bin = os.environ.get("KERNELDOC", "scripts/kernel-doc")
kerneldoc_srctree = top

html_theme = "alabaster"
html_static_path = []
