-- Neovim (0.7 or newer) client for the HSL language server.
-- Load it from your init.lua:  dofile("/path/to/editors/nvim/hsl.lua")
-- or copy it to ~/.config/nvim/plugin/hsl.lua.

local markers = { "hsl.toml", "src/config/smtpd-app.yaml", ".git" }

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
      cmd = { vim.g.hsl_server_path or "hsl", "lsp" },
      root_dir = root,
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
    vim.bo[args.buf].commentstring = "// %s"
    attach(args.buf)
  end,
})

-- Format on save with the layout of `hsl fmt` (through `hsl lsp`) when
-- vim.g.hsl_format_on_save is true.
vim.api.nvim_create_autocmd("BufWritePre", {
  pattern = "*.hsl",
  callback = function(args)
    if vim.g.hsl_format_on_save then
      vim.lsp.buf.format({ bufnr = args.buf, name = "hsl" })
    end
  end,
})
