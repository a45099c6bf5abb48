-- End-to-end test: headless Neovim opens a broken HSL file with hsl.lua and
-- checks what `hsl lsp` answers: the published diagnostic, completion,
-- hover, rename and a quick fix. Run by run-test.sh.
local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
dofile(here .. "/hsl.lua")

local function finish(ok, message)
  io.stdout:write(message .. "\n")
  vim.cmd(ok and "qall!" or "cquit 1")
end

local function fail(message)
  finish(false, "nvim: " .. message)
  error(message)
end

-- One request to the server, synchronously; the first client's result.
local function request(method, params)
  local replies = vim.lsp.buf_request_sync(0, method, params, 10000) or {}
  for _, reply in pairs(replies) do
    if reply.error then
      fail(method .. ": " .. vim.inspect(reply.error))
    end
    return reply.result
  end
  fail(method .. ": no answer")
end

local function at(line, character)
  return { textDocument = vim.lsp.util.make_text_document_params(), position = { line = line, character = character } }
end

vim.cmd("edit " .. vim.fn.fnameescape(vim.env.HSL_TEST_FILE))
local found = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not found then
  fail("no diagnostics received from hsl lsp")
end
local d = vim.diagnostic.get(0)[1]
local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
if not (d.lnum == 0 and d.col == 6 and code == "HSL001" and d.message:find("missing `;`", 1, true)) then
  fail(string.format("unexpected diagnostic %s at %d:%d: %s", tostring(code), d.lnum, d.col, d.message))
end
io.stdout:write(string.format("nvim: diagnostic %s at %d:%d\n", code, d.lnum + 1, d.col + 1))

-- Fix the file: `$a = 1;` then two uses of $a.
vim.api.nvim_buf_set_lines(0, 0, -1, false, { "$a = 1;", "echo str_lower($a);", "$b = $a;", "" })
vim.wait(5000, function()
  return #vim.diagnostic.get(0, { lnum = 0 }) == 0
end, 50)

local items = request("textDocument/completion", at(2, 6))
items = items.items or items
local labels = {}
for _, item in ipairs(items) do
  labels[item.label] = true
end
if not labels["$a"] then
  fail("completion after $ lacks $a: " .. vim.inspect(vim.tbl_keys(labels)) .. vim.inspect(vim.api.nvim_buf_get_lines(0, 0, -1, false)))
end
io.stdout:write("nvim: completion offers $a\n")

local hover = request("textDocument/hover", at(1, 7))
local text = hover and hover.contents and (hover.contents.value or hover.contents) or ""
if type(text) ~= "string" or not text:find("str_lower", 1, true) then
  fail("hover on str_lower: " .. vim.inspect(hover))
end
io.stdout:write("nvim: hover describes str_lower\n")

local params = at(0, 1)
params.newName = "count"
local edit = request("textDocument/rename", params)
vim.lsp.util.apply_workspace_edit(edit, "utf-16")
local lines = vim.api.nvim_buf_get_lines(0, 0, 3, false)
if lines[1] ~= "$count = 1;" or lines[2] ~= "echo str_lower($count);" or lines[3] ~= "$b = $count;" then
  fail("rename: " .. vim.inspect(lines))
end
io.stdout:write("nvim: rename changed 3 occurrences\n")

-- A misspelt function (HSL101) and the quick fix its diagnostic carries.
vim.api.nvim_buf_set_lines(0, 1, 2, false, { "echo str_lowr($count);" })
local warned = vim.wait(10000, function()
  return #vim.diagnostic.get(0, { lnum = 1 }) > 0
end, 50)
if not warned then
  fail("no diagnostic for str_lowr($count)")
end
local diag = vim.diagnostic.get(0, { lnum = 1 })[1]
local lsp = diag.user_data and diag.user_data.lsp or {}
local lsp_diag = {
  range = { start = { line = diag.lnum, character = diag.col }, ["end"] = { line = diag.end_lnum, character = diag.end_col } },
  code = diag.code or lsp.code, source = diag.source, message = diag.message, severity = diag.severity,
  data = lsp.data,
}
local actions = request("textDocument/codeAction", {
  textDocument = vim.lsp.util.make_text_document_params(),
  range = lsp_diag.range,
  context = { diagnostics = { lsp_diag } },
})
if not actions or not actions[1] or not actions[1].edit then
  fail("code action: " .. vim.inspect(actions))
end
vim.lsp.util.apply_workspace_edit(actions[1].edit, "utf-16")
local line = vim.api.nvim_buf_get_lines(0, 1, 2, false)[1]
if line ~= "echo str_lower($count);" then
  fail("quick fix \"" .. actions[1].title .. "\" gave: " .. line)
end
finish(true, "nvim: code action \"" .. actions[1].title .. "\" applied")
