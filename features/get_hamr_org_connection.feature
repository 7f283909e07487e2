@endpoint(high-availability-multiregion)
Feature: Get HAMR organization connection
  Reading an organization's High Availability Multi-Region connection returns the
  whole connection, 404 when the organization has none, and 403 for keys that do
  not authenticate.

  Background:
    Given a valid "apiKeyAuth" key in the system
    And a valid "appKeyAuth" key in the system
    And new "GetHamrOrgConnection" request

  @mutating
  Scenario: Get HAMR organization connection returns "OK" response
    Given there is a valid "hamr_org_connection" in the system
    When the request is sent
    Then the response status is 200 OK
    And the response "data.id" is equal to "{{ org_id }}"
    And the response "data.type" is equal to "hamr_org_connections"
    And the response "data.attributes.hamr_status" has the same value as "hamr_org_connection.data.attributes.hamr_status"
    And the response "data.attributes.target_org_uuid" has the same value as "hamr_org_connection.data.attributes.target_org_uuid"
    And the response "data.attributes.modified_at" has the same value as "hamr_org_connection.data.attributes.modified_at"

  @needs-fresh-org
  Scenario: Get HAMR organization connection returns "Not Found" response
    Given the organization has no HAMR connection
    When the request is sent
    Then the response status is 404 Not Found

  Scenario: Get HAMR organization connection returns "Forbidden" response for a wrong API key
    Given a wrong "apiKeyAuth" key in the system
    When the request is sent
    Then the response status is 403 Forbidden

  @rate-limited
  Scenario: Get HAMR organization connection returns "Too many requests" response
    Given the rate limit is 1 request per 3600 seconds
    When the request is sent 2 times
    Then the response status is 429 Too many requests
    And the response header "X-RateLimit-Limit" is equal to "1"
    And the response header "X-RateLimit-Period" is equal to "3600"
    And the response header "X-RateLimit-Remaining" is equal to "0"
    And the response "errors" has length 1
