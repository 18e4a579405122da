-- Creates one contact per request (POST /crm/v3/objects/contacts, 201) with
-- 8 properties and an email no other request uses: the run's start time, the
-- thread and a counter, so that repeated runs against the same server do not
-- meet 409s. A non-2xx answer shows in wrk's "Non-2xx or 3xx responses".
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread", threads)
end

local run = tostring(os.time())
local n = 0

function request()
  n = n + 1
  local key = run .. "-" .. tostring(thread) .. "-" .. tostring(n)
  local body = '{"properties":{"email":"load' .. key .. '@example.com","firstname":"Load","lastname":"' .. key ..
    '","phone":"+1 555 0100","company":"Example","website":"https://example.com","city":"Springfield","lifecyclestage":"lead"}}'
  return wrk.format("POST", "/crm/v3/objects/contacts", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer load-contacts",
  }, body)
end
