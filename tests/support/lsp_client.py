"""An editor's client that is not pactum's: pygls's language client, whose lsprotocol types
read every answer of `pactum lsp` into the protocol's own classes (an answer of the wrong
shape fails here, not in an editor).

Usage: python lsp_client.py PACTUM ROOT FILE
Opens FILE (a contract of the repository at ROOT), asks for each feature at places the script
finds in the text, and prints what it got as JSON on standard output.
"""

import asyncio
import json
import pathlib
import sys

from lsprotocol import types as t
from pygls.lsp.client import BaseLanguageClient


async def main(pactum: str, root: str, file: str) -> dict:
    path = pathlib.Path(file).resolve()
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    client = BaseLanguageClient("pactum-test", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: t.PublishDiagnosticsParams):
        published.put_nowait(params)

    @client.feature(t.WINDOW_LOG_MESSAGE)
    def log(params: t.LogMessageParams):
        print(params.message, file=sys.stderr)

    await client.start_io(pactum, "lsp", cwd=root)
    result = await client.initialize_async(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(),
            root_uri=pathlib.Path(root).resolve().as_uri(),
        )
    )
    client.initialized(t.InitializedParams())
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(t.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text))
    )
    first: t.PublishDiagnosticsParams = await asyncio.wait_for(published.get(), 60)
    doc = t.TextDocumentIdentifier(uri=uri)

    def at(needle: str, offset: int = 0) -> t.Position:
        index = text.index(needle) + offset
        line = text.count("\n", 0, index)
        start = text.rfind("\n", 0, index) + 1
        # UTF-16 code units, as the protocol counts them by default.
        character = len(text[start:index].encode("utf-16-le")) // 2
        return t.Position(line=line, character=character)

    term = at("perform the Services", len("perform the "))
    reference = at("Section 3.2 (Late Payment)", len("Section "))
    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=term))
    definition = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=reference))
    references = await client.text_document_references_async(
        t.ReferenceParams(text_document=doc, position=term, context=t.ReferenceContext(include_declaration=True))
    )
    completion = await client.text_document_completion_async(
        t.CompletionParams(text_document=doc, position=at("Section 3.2 (Late Payment)", len("Section ")))
    )
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(text_document=doc))
    prepared = await client.text_document_prepare_rename_async(t.PrepareRenameParams(text_document=doc, position=term))
    renamed = await client.text_document_rename_async(
        t.RenameParams(text_document=doc, position=term, new_name="Work")
    )
    actions = await client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=doc,
            range=t.Range(start=reference, end=reference),
            context=t.CodeActionContext(diagnostics=[]),
        )
    )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()

    def position(p: t.Position) -> list:
        return [p.line, p.character]

    return {
        "server": result.server_info.name,
        "encoding": result.capabilities.position_encoding,
        "diagnostics": [d.code for d in first.diagnostics],
        "hover": hover.contents.value,
        "definition": position(definition.range.start) if isinstance(definition, t.Location) else None,
        "references": len(references),
        "completion": [item.label for item in completion.items],
        "symbols": [symbol.name for symbol in symbols],
        "prepared": prepared.placeholder,
        "renamed": sum(len(edits) for edits in renamed.changes.values()),
        "actions": [action.title for action in actions],
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:4]))))
