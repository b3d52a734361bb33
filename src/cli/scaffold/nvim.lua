-- pactum's language server for the contracts of this repository: findings as you type, hover,
-- go to definition, references, completion, rename, the clause outline and quick fixes.
-- Neovim reads this file when 'exrc' is on and the file is trusted (:trust); `pactum` must be
-- on PATH. Neovim 0.11 and later.
vim.lsp.config('pactum', {
  cmd = { 'pactum', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = { 'pactum.toml', '.git' },
})
vim.lsp.enable('pactum')
