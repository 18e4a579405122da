wrk.method = "POST"
wrk.path = "/crm/associations/2026-03/definitions/configurations/contacts/companies/batch/update"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer load"
wrk.body = '{"inputs":[{"category":"HUBSPOT_DEFINED","maxToObjectIds":5,"typeId":279}]}'
