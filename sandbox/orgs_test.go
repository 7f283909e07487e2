package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadOrgs(t *testing.T) {
	yamlFile := writeFile(t, "orgs.yaml", "orgs:\n  - id: "+otherOrgID+"\n    name: Staging\n    api_key: a\n    app_key: b\n")
	jsonFile := writeFile(t, "orgs.json", `{"orgs":[{"id":"`+otherOrgID+`","name":"Staging","api_key":"a","app_key":"b"}]}`)
	for _, path := range []string{yamlFile, jsonFile} {
		orgs, err := LoadOrgs(path)
		if err != nil || len(orgs) != 1 || orgs[0].Name != "Staging" || orgs[0].APIKey != "a" {
			t.Errorf("%s: %+v, %v", filepath.Base(path), orgs, err)
		}
	}
	for name, content := range map[string]string{
		"not a UUID":    "orgs:\n  - {id: nope, name: x, api_key: secret-api-value, app_key: secret-app-value}\n",
		"missing keys":  "orgs:\n  - {id: " + otherOrgID + ", name: x}\n",
		"unknown field": "orgs:\n  - {id: " + otherOrgID + ", name: x, api_key: secret-api-value, app_key: secret-app-value, apikey: c}\n",
		"no orgs":       "orgs: []\n",
	} {
		_, err := LoadOrgs(writeFile(t, "orgs.yaml", content))
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "secret-") {
			t.Errorf("%s: the error may echo a key: %v", name, err)
		}
	}
}
