#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rst-check.py - check that reST documents build cleanly with docutils.

Usage: rst-check.py FILE.rst...

Each file is parsed and written as HTML by docutils in memory; every system
message of level WARNING or above is a finding, printed as
``file:line: LEVEL: message``.  The exit status is 1 if there was any.

The kernel builds its documentation with Sphinx, which adds directives and
roles plain docutils does not know.  The ones gmm's documents use are
stood in for here, so that they are checked rather than reported unknown:

``.. toctree::``
    every entry must name an existing document beside the index; an
    index.rst's toctree must list every other document of its directory
    (Sphinx warns about documents in no toctree).
``:doc:`` and ``:ref:``
    ``:doc:`` targets must exist; ``:ref:`` is accepted as text.
``.. kernel-doc::``
    the source file must exist (relative to the repository's top); what
    kernel-doc makes of it is checked by ``make docs`` (tools/docs).
"""
import io
import os
import re
import sys

from docutils import nodes
from docutils.core import publish_string
from docutils.parsers.rst import Directive, directives, roles

findings = []


class TocTree(Directive):
    """Sphinx's toctree: a list of documents, checked to exist."""
    has_content = True
    option_spec = {
        "maxdepth": int,
        "caption": directives.unchanged,
        "hidden": directives.flag,
        "numbered": directives.unchanged,
        "titlesonly": directives.flag,
        "glob": directives.flag,
        "name": directives.unchanged,
    }

    def run(self):
        src, line = self.state_machine.get_source_and_line(self.lineno)
        here = os.path.dirname(src)
        listed = set()
        items = nodes.bullet_list()
        for entry in self.content:
            entry = entry.strip()
            if not entry:
                continue
            m = re.match(r"^(.*?)\s*<(.+)>$", entry)
            doc = m.group(2) if m else entry
            listed.add(os.path.normpath(os.path.join(here, doc + ".rst")))
            if not os.path.isfile(os.path.join(here, doc + ".rst")):
                findings.append(f"{src}:{line}: ERROR: toctree entry '{doc}' "
                                f"has no {doc}.rst")
            items += nodes.list_item("", nodes.paragraph(text=entry))
        if os.path.basename(src) == "index.rst":
            for f in sorted(os.listdir(here or ".")):
                p = os.path.normpath(os.path.join(here, f))
                if f.endswith(".rst") and f != "index.rst" and p not in listed:
                    findings.append(f"{src}:{line}: WARNING: {f} is in no "
                                    f"toctree of index.rst")
        return [items]


def doc_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    src = inliner.document.current_source
    m = re.match(r"^(.*?)\s*<(.+)>$", text)
    target = m.group(2) if m else text
    if not os.path.isfile(os.path.join(os.path.dirname(src), target + ".rst")):
        findings.append(f"{src}:{lineno}: ERROR: :doc: target '{target}' "
                        f"does not exist")
    return [nodes.literal(rawtext, text)], []


class KernelDoc(Directive):
    """The kernel's kernel-doc directive: a source file, checked to exist."""
    required_arguments = 1
    optional_arguments = 4
    option_spec = {
        "doc": directives.unchanged_required,
        "export": directives.unchanged,
        "internal": directives.unchanged,
        "identifiers": directives.unchanged,
        "no-identifiers": directives.unchanged,
        "functions": directives.unchanged,
    }
    has_content = False

    def run(self):
        src, line = self.state_machine.get_source_and_line(self.lineno)
        top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        if not os.path.isfile(os.path.join(top, self.arguments[0])):
            findings.append(f"{src}:{line}: ERROR: kernel-doc source "
                            f"'{self.arguments[0]}' does not exist")
        return [nodes.literal(text=self.arguments[0])]


def ref_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.literal(rawtext, text)], []


def check(path):
    warnings = io.StringIO()
    with open(path, encoding="utf-8") as f:
        source = f.read()
    publish_string(source, source_path=path, writer_name="html",
                   settings_overrides={
                       "report_level": 2,
                       "halt_level": 5,
                       "warning_stream": warnings,
                       "input_encoding": "utf-8",
                       "output_encoding": "utf-8",
                       "_disable_config": True,
                   })
    for msg in warnings.getvalue().splitlines():
        if re.match(r"^\S+:\d+: \((WARNING|ERROR|SEVERE)/\d\)", msg) or \
           re.match(r"^\S+: \((WARNING|ERROR|SEVERE)/\d\)", msg):
            findings.append(msg)


def main(argv):
    if len(argv) < 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    directives.register_directive("toctree", TocTree)
    directives.register_directive("kernel-doc", KernelDoc)
    roles.register_local_role("doc", doc_role)
    roles.register_local_role("ref", ref_role)
    for path in argv[1:]:
        check(path)
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
