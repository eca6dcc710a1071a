-- The benchmark workload for wrk: one operation's request, and a cheap prefilter of every answer
-- against the envelope the contract promises for it. The full judgement (the envelope rule and the
-- response schema) runs in Python on sampled answers (bench/envelope_check.py).
--
-- Everything comes from the environment (set by bench/wrk.py from the spec model), so this file
-- holds no method, path, code, message or key:
--   BENCH_METHOD           the HTTP method
--   BENCH_TARGET           the path with its query string
--   BENCH_BODY             the request body (optional: empty sends none)
--   BENCH_HEADERS          request headers, "Name: value" lines (optional)
--   BENCH_EXPECT_STATUS    the HTTP status every answer must have
--   BENCH_EXPECT_CODE      the envelope code every answer must carry
--   BENCH_EXPECT_MESSAGE   the message the code table pairs with that code
--   BENCH_EXPECT_DATA      the `data` members that code carries, comma-separated "name=opener",
--                          the opener being what the member's JSON value starts with: { [ " or
--                          nothing (any value) (optional)
-- done() prints one line "BENCH_RESULT {json}" that bench/wrk.py parses.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_TARGET") or "/"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
end
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^%s*([^:]+):%s*(.-)%s*$")
  if name then
    wrk.headers[name] = value
  end
end

local function pattern_literal(text)
  return (string.gsub(text, "[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end

local expect_status = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "200")
local expect_code = os.getenv("BENCH_EXPECT_CODE") or "0"
-- A JSON number ends at a delimiter: "0" must not match "0.5" or "01" (and "1" not "1401").
local code_pattern = '"code"%s*:%s*' .. pattern_literal(expect_code) .. "[%s,}]"
local message_pattern = '"message"%s*:%s*"' .. pattern_literal(os.getenv("BENCH_EXPECT_MESSAGE") or "") .. '"'
local data_patterns = {}
for member in string.gmatch(os.getenv("BENCH_EXPECT_DATA") or "", "[^,]+") do
  local name, opener = string.match(member, "^([^=]+)=(.*)$")
  table.insert(data_patterns, '"' .. pattern_literal(name or member) .. '"%s*:%s*' .. pattern_literal(opener or ""))
end

-- Per-thread tallies (each wrk thread runs its own copy of this script).
checked = 0
nonconformant = 0
first_bad = ""

local function is_json(headers)
  for name, value in pairs(headers) do
    if string.lower(name) == "content-type" then
      return string.find(string.lower(value), "application/json", 1, true) ~= nil
    end
  end
  return false
end

local function conformant(status, headers, body)
  if status ~= expect_status or not is_json(headers) or body == nil then
    return false
  end
  if not string.find(body, code_pattern) or not string.find(body, message_pattern) then
    return false
  end
  for _, data_pattern in ipairs(data_patterns) do
    if not string.find(body, data_pattern) then
      return false
    end
  end
  return true
end

function response(status, headers, body)
  checked = checked + 1
  if not conformant(status, headers, body) then
    nonconformant = nonconformant + 1
    if first_bad == "" then
      first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function json_string(text)
  local escaped = string.gsub(text, '[%c"\\]', function(char)
    return string.format("\\u%04x", string.byte(char))
  end)
  return '"' .. escaped .. '"'
end

function done(summary, latency, requests)
  local total_checked, total_bad, sample = 0, 0, ""
  for _, thread in ipairs(threads) do
    total_checked = total_checked + (thread:get("checked") or 0)
    total_bad = total_bad + (thread:get("nonconformant") or 0)
    local bad = thread:get("first_bad") or ""
    if sample == "" then
      sample = bad
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, "
      .. "\"errors\": {\"connect\": %d, \"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d}, "
      .. "\"latency_us\": {\"p50\": %d, \"p90\": %d, \"p99\": %d, \"mean\": %.1f, \"max\": %d}, "
      .. "\"checked\": %d, \"nonconformant\": %d, \"first_nonconformant\": %s}\n",
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    total_checked, total_bad, json_string(sample)
  ))
end
