# SPDX-License-Identifier: GPL-2.0
"""kerneldoc.py - the Sphinx directive ``.. kernel-doc:: FILE`` of `make docs`.

The kernel-doc comments of FILE (a path from kerneldoc_srctree), turned
into reStructuredText by the kernel's scripts/kernel-doc and parsed into
the page where the directive stands.  Each line keeps its line number in
FILE, so a markup error names the source line.  The options are the
kernel's documentation's:

  :export: [PATTERNS]     what FILE (or the files PATTERNS match) exports
  :internal: [PATTERNS]   what it does not export
  :doc: TITLE             one ``DOC:`` section
  :identifiers: [NAMES]   the named ones; none named: all but ``DOC:``
  :functions: [NAMES]     the same as :identifiers:
  :no-identifiers: NAMES  all but these

conf.py sets kerneldoc_bin (the script), kerneldoc_srctree and
kerneldoc_verbosity (1: kernel-doc's warnings go to stderr, where
build.sh looks for them).  A failed kernel-doc is a Sphinx warning and an
error box in the page.
"""
import glob
import os
import re
import subprocess
import sys

import sphinx
from docutils import nodes, statemachine
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import ViewList
from sphinx.util import logging
from sphinx.util.docutils import switch_source_input

__version__ = "1.0"

logger = logging.getLogger("kerneldoc")

# kernel-doc -enable-lineno: the next line is this line of the source.
LINENO = re.compile(r"^\.\. LINENO ([0-9]+)$")


class KernelDocDirective(Directive):
    """``.. kernel-doc:: FILE``: FILE's kernel-doc comments, in place."""

    required_arguments = 1
    has_content = False
    option_spec = {
        "doc": directives.unchanged_required,
        "export": directives.unchanged,
        "internal": directives.unchanged,
        "identifiers": directives.unchanged,
        "no-identifiers": directives.unchanged,
        "functions": directives.unchanged,
    }

    def run(self):
        env = self.state.document.settings.env
        path = env.config.kerneldoc_srctree + "/" + self.arguments[0]
        env.note_dependency(os.path.abspath(path))
        cmd = self.command(env, path)
        try:
            proc = self.kernel_doc(env, cmd)
            if proc.returncode != 0:
                return self.failed(cmd, "failed with return code %d" %
                                   proc.returncode)
            return self.parse(env, path, proc.stdout.decode("utf-8"))
        except Exception as e:  # pylint: disable=broad-except
            return self.failed(cmd, "processing failed with: %s" % e)

    def selection(self):
        """kernel-doc's arguments choosing what to show, and the patterns
        of the files whose exports count (:export: and :internal:)."""
        opts = self.options
        for which in ("export", "internal"):
            if which in opts:
                return ["-" + which], str(opts[which]).split()
        if "doc" in opts:
            return ["-function", str(opts["doc"])], []
        if "functions" in opts or "identifiers" in opts:
            names = opts.get("functions", opts.get("identifiers")).split()
            args = [a for name in names for a in ("-function", name)]
            return args or ["-no-doc-sections"], []
        return [], []

    def command(self, env, path):
        """The kernel-doc command line for @path and the options."""
        cmd = [env.config.kerneldoc_bin, "-rst", "-enable-lineno",
               # its dialect depends on what Sphinx's C domain supports
               "-sphinx-version", sphinx.__version__]
        args, patterns = self.selection()
        cmd += args
        for name in self.options.get("no-identifiers", "").split():
            cmd += ["-nosymbol", name]
        for pattern in patterns:
            for f in glob.glob(env.config.kerneldoc_srctree + "/" + pattern):
                env.note_dependency(os.path.abspath(f))
                cmd += ["-export-file", f]
        return cmd + [path]

    def kernel_doc(self, env, cmd):
        """Run @cmd; its stderr goes on to ours when it failed or when
        kerneldoc_verbosity asks."""
        logger.verbose("calling kernel-doc '%s'" % " ".join(cmd))
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        if proc.returncode != 0 or env.config.kerneldoc_verbosity > 0:
            sys.stderr.write(proc.stderr.decode("utf-8"))
        return proc

    def parse(self, env, path, rst):
        """Parse kernel-doc's output @rst into nodes; the LINENO comments
        give each line its place in @path and are left out."""
        source = "%s/%s:%d: %s" % (env.srcdir, env.docname, self.lineno, path)
        tab_width = self.state.document.settings.tab_width
        lines = ViewList()
        offset = 0
        for line in statemachine.string2lines(rst, tab_width,
                                              convert_whitespace=True):
            m = LINENO.match(line)
            if m:
                offset = int(m.group(1)) - 1  # Sphinx counts from 0
                continue
            lines.append(line, source, offset)
            offset += 1
        node = nodes.section()
        with switch_source_input(self.state, lines):
            self.state.nested_parse(lines, 0, node, match_titles=1)
        return node.children

    def failed(self, cmd, why):
        """A warning, and an error box in the page."""
        logger.warning("kernel-doc '%s' %s" % (" ".join(cmd), why))
        return [nodes.error(None, nodes.paragraph(text="kernel-doc missing"))]


def setup(app):
    app.add_config_value("kerneldoc_bin", None, "env")
    app.add_config_value("kerneldoc_srctree", None, "env")
    app.add_config_value("kerneldoc_verbosity", 1, "env")
    app.add_directive("kernel-doc", KernelDocDirective)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
