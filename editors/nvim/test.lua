-- End-to-end test: headless Neovim opens a broken HSL file with hsl.lua and
-- checks the diagnostic published by `hsl lsp`. Run by run-test.sh.
local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
dofile(here .. "/hsl.lua")

local function finish(ok, message)
  io.stdout:write(message .. "\n")
  vim.cmd(ok and "qall!" or "cquit 1")
end

vim.cmd("edit " .. vim.fn.fnameescape(vim.env.HSL_TEST_FILE))
local found = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not found then
  finish(false, "nvim: no diagnostics received from hsl lsp")
  return
end
local d = vim.diagnostic.get(0)[1]
local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
local expected = { lnum = 0, col = 6, code = "HSL001" }
if d.lnum == expected.lnum and d.col == expected.col and code == expected.code and d.message:find("missing `;`", 1, true) then
  finish(true, string.format("nvim: diagnostic %s at %d:%d: %s", code, d.lnum + 1, d.col + 1, d.message:gsub("\n", " ")))
else
  finish(false, string.format("nvim: unexpected diagnostic %s at %d:%d: %s", tostring(code), d.lnum, d.col, d.message))
end
