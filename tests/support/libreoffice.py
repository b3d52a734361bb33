"""A counterparty at LibreOffice: edits made through its own API, with Record Changes on.

Run with a Python that has LibreOffice's bridge (`python3-uno`):

    python3 libreoffice.py JOBS.json

JOBS.json is a list of jobs; each opens a Word file, makes its steps and saves or reads it:

    {"open": "in.docx", "steps": [...], "save": "out.docx", "read": "out.json"}

Steps (each names a paragraph by words it contains; the first such paragraph is taken):

    {"replace": "thirty days", "with": "sixty days"}    words replaced where they stand
    {"delete": "Each party will"}                       the whole paragraph, mark and all
    {"insert_after": "words", "text": "New clause."}    a new paragraph after that one
    {"move": "words", "after": "other words"}          cut, and pasted after another paragraph
    {"comment": "words", "text": "Why?", "author": "A"} a comment on exactly those words
    {"accept_all": true} / {"reject_all": true}         every tracked change accepted / rejected

`read` writes every paragraph as LibreOffice shows it: its list label, words and level.
One LibreOffice process serves every job of the file.
"""

import json
import os
import subprocess
import sys
import shutil
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


def paragraphs(doc):
    """Every paragraph of the body, table cells included, in order."""
    def walk(text):
        enum = text.createEnumeration()
        while enum.hasMoreElements():
            element = enum.nextElement()
            if element.supportsService("com.sun.star.text.Paragraph"):
                yield element
            elif element.supportsService("com.sun.star.text.TextTable"):
                for name in element.getCellNames():
                    yield from walk(element.getCellByName(name).getText())
    yield from walk(doc.getText())


def find_paragraph(doc, words):
    """The paragraph whose words are exactly `words`, else the first that contains them."""
    found = None
    for p in paragraphs(doc):
        if p.getString() == words:
            return p
        if found is None and words in p.getString():
            found = p
    if found is None:
        raise SystemExit(f"no paragraph contains {words!r}")
    return found


def find_words(doc, words):
    """A text range over the first occurrence of `words` (within one paragraph)."""
    for p in paragraphs(doc):
        at = p.getString().find(words)
        if at < 0:
            continue
        text = p.getText()
        cursor = text.createTextCursorByRange(p.getStart())
        # LibreOffice counts UTF-16 code units.
        cursor.goRight(len(p.getString()[:at].encode("utf-16-le")) // 2, False)
        cursor.goRight(len(words.encode("utf-16-le")) // 2, True)
        return cursor
    raise SystemExit(f"the document does not contain {words!r}")


def whole_paragraph(para):
    text = para.getText()
    cursor = text.createTextCursorByRange(para.getStart())
    cursor.gotoEndOfParagraph(True)
    # The paragraph mark too, unless it is the last paragraph of the text.
    cursor.goRight(1, True)
    return text, cursor


def step(doc, frame, dispatcher, s):
    if "replace" in s:
        find_words(doc, s["replace"]).setString(s["with"])
    elif "delete" in s:
        _, cursor = whole_paragraph(find_paragraph(doc, s["delete"]))
        cursor.setString("")
    elif "insert_after" in s:
        para = find_paragraph(doc, s["insert_after"])
        text = para.getText()
        cursor = text.createTextCursorByRange(para.getEnd())
        text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
        text.insertString(cursor, s["text"], False)
    elif "move" in s:
        controller = doc.getCurrentController()
        _, cursor = whole_paragraph(find_paragraph(doc, s["move"]))
        controller.select(cursor)
        cut = controller.getTransferable()
        cursor.setString("")
        target = find_paragraph(doc, s["after"])
        text = target.getText()
        at = text.createTextCursorByRange(target.getEnd())
        at.goRight(1, False)
        controller.select(at)
        controller.insertTransferable(cut)
    elif "comment" in s:
        found = find_words(doc, s["comment"])
        note = doc.createInstance("com.sun.star.text.textfield.Annotation")
        note.Author = s.get("author", "Counterparty")
        note.Content = s["text"]
        found.getText().insertTextContent(found, note, True)
    elif s.get("accept_all"):
        dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
    elif s.get("reject_all"):
        dispatcher.executeDispatch(frame, ".uno:RejectAllTrackedChanges", "", 0, ())
    else:
        raise SystemExit(f"unknown step {s!r}")


def read(doc):
    out = []
    for p in paragraphs(doc):
        label = p.getPropertyValue("ListLabelString") if p.getPropertySetInfo().hasPropertyByName("ListLabelString") else ""
        level = p.getPropertyValue("NumberingLevel") if p.getPropertyValue("NumberingIsNumber") else None
        out.append({"label": label, "text": p.getString(), "level": level})
    return out


def main():
    jobs = json.load(open(sys.argv[1]))
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = f"pactum{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={url(profile)}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(300):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.1)
    if ctx is None:
        office.kill()
        raise SystemExit("LibreOffice did not start")
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    try:
        for job in jobs:
            # Steps that work through a view (cut and paste, accept and reject) open the document
            # in a hidden window; the others open it without one, as a conversion does, because
            # a view of a document with comments needs the comment sidebar, which a headless
            # LibreOffice without its desktop packages cannot build.
            if any("move" in s or "accept_all" in s or "reject_all" in s for s in job.get("steps", [])):
                doc = desktop.loadComponentFromURL(url(job["open"]), "_blank", 0, (prop("Hidden", True),))
                frame = doc.getCurrentController().getFrame() if doc is not None else None
            else:
                doc = smgr.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
                doc.load((prop("URL", url(job["open"])), prop("FilterName", "MS Word 2007 XML")))
                frame = None
            if doc is None:
                raise SystemExit(f"LibreOffice cannot open {job['open']}")
            doc.RecordChanges = True
            for s in job.get("steps", []):
                step(doc, frame, dispatcher, s)
            if "save" in job:
                doc.storeToURL(url(job["save"]), (prop("FilterName", "MS Word 2007 XML"),))
            if "read" in job:
                with open(job["read"], "w") as f:
                    json.dump(read(doc), f, ensure_ascii=False, indent=1)
            doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
