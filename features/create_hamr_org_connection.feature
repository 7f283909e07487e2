@endpoint(high-availability-multiregion) @mutating
Feature: Create or update HAMR organization connection
  Creating or updating an organization's High Availability Multi-Region connection
  stores it whole and answers it back; invalid bodies, another organization's id and
  wrong keys are refused. Every scenario here POSTs, so every one is @mutating.

  Background:
    Given a valid "apiKeyAuth" key in the system
    And a valid "appKeyAuth" key in the system
    And new "CreateHamrOrgConnection" request

  Scenario Outline: Create or update HAMR organization connection with status <name> returns "OK" response
    Given body with value {"data": {"attributes": {"hamr_status": <status>, "is_primary": false, "modified_by": "contract-suite@example.com", "target_org_datacenter": "eu1", "target_org_name": "Contract Backup Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}}
    When the request is sent
    Then the response status is 200 OK
    And the response "data.id" is equal to "{{ org_id }}"
    And the response "data.type" is equal to "hamr_org_connections"
    And the response "data.attributes.hamr_status" is equal to <status>
    And the response "data.attributes.is_primary" is equal to false
    And the response "data.attributes.target_org_datacenter" is equal to "eu1"

    Examples:
      | status | name        |
      | 0      | UNSPECIFIED |
      | 1      | ONBOARDING  |
      | 2      | PASSIVE     |
      | 3      | FAILOVER    |
      | 4      | ACTIVE      |
      | 5      | RECOVERY    |

  Scenario: Create or update HAMR organization connection round trip updates the connection
    Given body with value {"data": {"attributes": {"hamr_status": 1, "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us5", "target_org_name": "Round Trip Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}}
    When the request is sent
    Then the response status is 200 OK
    And the response "data.attributes.modified_at" is saved as "first_modified_at"
    Given new "GetHamrOrgConnection" request
    When the request is sent
    Then the response status is 200 OK
    And the response "data.attributes.hamr_status" is equal to 1
    And the response "data.attributes.target_org_name" is equal to "Round Trip Org"
    And the response "data.attributes.modified_at" is equal to "{{ first_modified_at }}"
    Given new "CreateHamrOrgConnection" request
    And body with value {"data": {"attributes": {"hamr_status": 2, "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us5", "target_org_name": "Round Trip Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}}
    When the request is sent
    Then the response status is 200 OK
    And the response "data.attributes.hamr_status" is equal to 2
    And the response "data.attributes.modified_at" is later than "{{ first_modified_at }}"

  Scenario Outline: Create or update HAMR organization connection returns "Bad Request" response for <case>
    Given body with value <body>
    When the request is sent
    Then the response status is 400 Bad Request
    And the response "errors" is not empty

    Examples:
      | case                         | body                                                                                                                                                                                                                                                                |
      | a missing required attribute | {"data": {"attributes": {"hamr_status": 4, "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us1", "target_org_name": "Contract Backup Org"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}}                          |
      | an unknown hamr_status       | {"data": {"attributes": {"hamr_status": 6, "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us1", "target_org_name": "Contract Backup Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}} |
      | the singular type            | {"data": {"attributes": {"hamr_status": 4, "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us1", "target_org_name": "Contract Backup Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ org_id }}", "type": "hamr_org_connection"}}  |
      | a wrong JSON type            | {"data": {"attributes": {"hamr_status": "ACTIVE", "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us1", "target_org_name": "Contract Backup Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}} |
      | malformed JSON               | {"data": {"attributes": {"hamr_status": 4,                                                                                                                                                                                                                           |

  Scenario: Create or update HAMR organization connection returns "Forbidden" response for another organization's id
    Given body with value {"data": {"attributes": {"hamr_status": 4, "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us1", "target_org_name": "Contract Backup Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ other_org_id }}", "type": "hamr_org_connections"}}
    When the request is sent
    Then the response status is 403 Forbidden

  Scenario: Create or update HAMR organization connection returns "Forbidden" response for a wrong application key
    Given a wrong "appKeyAuth" key in the system
    And body with value {"data": {"attributes": {"hamr_status": 4, "is_primary": true, "modified_by": "contract-suite@example.com", "target_org_datacenter": "us1", "target_org_name": "Contract Backup Org", "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}}
    When the request is sent
    Then the response status is 403 Forbidden

  Scenario: Create or update HAMR organization connection returns "OK" response for the reference example
    Given body with value:
      """
      {
        "data": {
          "attributes": {
            "hamr_status": 4,
            "is_primary": true,
            "modified_by": "admin@example.com",
            "target_org_datacenter": "us1",
            "target_org_name": "Production Backup Org",
            "target_org_uuid": "660f9511-f3ac-52e5-b827-557766551111"
          },
          "id": "{{ org_id }}",
          "type": "hamr_org_connections"
        }
      }
      """
    When the request is sent
    Then the response status is 200 OK
    And the response "data.id" is equal to "{{ org_id }}"
    And the response "data.type" is equal to "hamr_org_connections"
    And the response "data.attributes.hamr_status" is equal to 4
    And the response "data.attributes.is_primary" is equal to true
    And the response "data.attributes.modified_by" is equal to "admin@example.com"
    And the response "data.attributes.target_org_datacenter" is equal to "us1"
    And the response "data.attributes.target_org_name" is equal to "Production Backup Org"
    And the response "data.attributes.target_org_uuid" is equal to "660f9511-f3ac-52e5-b827-557766551111"
