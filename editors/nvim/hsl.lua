-- Neovim (0.7 or newer) client for the HSL language server.
-- Load it from your init.lua:  dofile("/path/to/editors/nvim/hsl.lua")
-- or copy it to ~/.config/nvim/plugin/hsl.lua.
-- On 0.11 and newer it registers the server with vim.lsp.config and
-- vim.lsp.enable; on 0.7–0.10 it starts the client itself.

local markers = { "hsl.toml", "src/config/smtpd-app.yaml", ".git" }
local cmd = { vim.g.hsl_server_path or "hsl", "lsp" }

-- Buffer-local mappings for the language server's features. Neovim 0.11
-- maps K, grn, grr, gra and gO itself; gd is Vim's local search unless
-- mapped, so it is mapped on every version.
local function map_keys(bufnr)
  local function map(lhs, fn)
    vim.keymap.set("n", lhs, fn, { buffer = bufnr, silent = true })
  end
  map("gd", vim.lsp.buf.definition)
  if vim.fn.has("nvim-0.11") == 0 then
    map("K", vim.lsp.buf.hover)
    map("grn", vim.lsp.buf.rename)
    map("grr", vim.lsp.buf.references)
    map("gra", vim.lsp.buf.code_action)
  end
  vim.bo[bufnr].omnifunc = "v:lua.vim.lsp.omnifunc"
end

local function set_options(bufnr)
  vim.bo[bufnr].commentstring = "// %s"
end

-- Format on save with the layout of `hsl fmt` (through `hsl lsp`) when
-- vim.g.hsl_format_on_save is true.
vim.api.nvim_create_autocmd("BufWritePre", {
  pattern = "*.hsl",
  callback = function(args)
    if not vim.g.hsl_format_on_save then
      return
    end
    if vim.lsp.buf.format then
      vim.lsp.buf.format({ bufnr = args.buf, name = "hsl" })
    else
      vim.lsp.buf.formatting_sync() -- Neovim 0.7
    end
  end,
})

if vim.fn.has("nvim-0.11") == 1 then
  vim.filetype.add({ extension = { hsl = "hsl" } })
  vim.lsp.config("hsl", {
    cmd = cmd,
    filetypes = { "hsl" },
    root_markers = markers,
    on_attach = function(_, bufnr)
      map_keys(bufnr)
    end,
  })
  vim.lsp.enable("hsl")
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "hsl",
    callback = function(args)
      set_options(args.buf)
    end,
  })
  return
end

-- The nearest directory above `path` holding one of the markers.
local function root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return vim.fn.fnamemodify(path, ":p:h")
    end
    dir = parent
  end
end

local clients = {}

local function attach(bufnr)
  local root = root_dir(vim.api.nvim_buf_get_name(bufnr))
  local id = clients[root]
  if not id or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "hsl",
      cmd = cmd,
      root_dir = root,
      on_attach = function(_, b)
        map_keys(b)
      end,
    })
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
  pattern = "*.hsl",
  callback = function(args)
    vim.bo[args.buf].filetype = "hsl"
    set_options(args.buf)
    attach(args.buf)
  end,
})
