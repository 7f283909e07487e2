package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/google/uuid"
	"go.yaml.in/yaml/v3"
)

// An Org is one organization the sandbox knows: its UUID, its name, and the
// credentials that authenticate as it.
type Org struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	APIKey string `yaml:"api_key"`
	AppKey string `yaml:"app_key"`
	// BearerToken, if set, also authenticates as this org (Authorization: Bearer).
	BearerToken string `yaml:"bearer_token,omitempty"`
}

// The default org, which every sandbox has.
const (
	DefaultOrgID   = "550e8400-e29b-41d4-a716-446655440000"
	DefaultOrgName = "Sandbox Org"
)

// Development keys, used for the default org when no keys are given. They
// are public by design: they open nothing but a local sandbox.
const (
	DevAPIKey = "sandbox0dev0api0key0000000000000"
	DevAppKey = "sandbox0dev0application0key00000000000000"
)

// DefaultOrg returns the default org with the given keys, or the development
// keys for any that is empty.
func DefaultOrg(apiKey, appKey string) Org {
	if apiKey == "" {
		apiKey = DevAPIKey
	}
	if appKey == "" {
		appKey = DevAppKey
	}
	return Org{ID: DefaultOrgID, Name: DefaultOrgName, APIKey: apiKey, AppKey: appKey}
}

// orgsFile is the --orgs file: YAML, or JSON (which YAML reads too).
//
//	orgs:
//	  - id: 3f1c...        # a UUID
//	    name: Staging
//	    api_key: ...
//	    app_key: ...
type orgsFile struct {
	Orgs []Org `yaml:"orgs"`
}

// LoadOrgs reads more orgs from a YAML or JSON file. Every org needs a UUID,
// a name and both keys; IDs and API keys must be unique.
func LoadOrgs(path string) ([]Org, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("orgs file: %w", err)
	}
	var file orgsFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("orgs file %s: %w (want a list under `orgs:` of id, name, api_key, app_key)", path, err)
	}
	if len(file.Orgs) == 0 {
		return nil, fmt.Errorf("orgs file %s lists no orgs under `orgs:`", path)
	}
	for i, org := range file.Orgs {
		if err := org.check(); err != nil {
			return nil, fmt.Errorf("orgs file %s, org %d: %w", path, i+1, err)
		}
	}
	return file.Orgs, nil
}

func (o Org) check() error {
	var missing []error
	if _, err := uuid.Parse(o.ID); err != nil {
		missing = append(missing, fmt.Errorf("id %q is not a UUID", o.ID))
	}
	if o.Name == "" {
		missing = append(missing, errors.New("name is empty"))
	}
	if o.APIKey == "" || o.AppKey == "" {
		missing = append(missing, errors.New("api_key and app_key are both required"))
	}
	return errors.Join(missing...)
}

// checkOrgs refuses duplicate IDs and credentials: a key must name one org.
func checkOrgs(orgs []Org) error {
	ids, keys := map[string]bool{}, map[string]bool{}
	for _, org := range orgs {
		if err := org.check(); err != nil {
			return fmt.Errorf("org %s: %w", org.ID, err)
		}
		if ids[org.ID] {
			return fmt.Errorf("org %s is listed twice", org.ID)
		}
		if keys[org.APIKey] || (org.BearerToken != "" && keys[org.BearerToken]) {
			return fmt.Errorf("org %s reuses another org's credentials (its name is %q)", org.ID, org.Name)
		}
		ids[org.ID], keys[org.APIKey] = true, true
		if org.BearerToken != "" {
			keys[org.BearerToken] = true
		}
	}
	return nil
}
