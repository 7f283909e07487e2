package validate

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// Undeclared lists, as JSON pointers, the members of a response body that
// the fragment's schema for that status does not declare. They pass
// validation (the schemas allow additional properties, as Datadog's do) but
// they are drift: the API has grown a field the fragment does not know.
func (v *Validator) Undeclared(req *http.Request, status int, body []byte) []string {
	route, _, err := v.Route(req)
	if err != nil {
		return nil
	}
	response := route.Operation.Responses.Status(status)
	if response == nil || response.Value == nil {
		return nil
	}
	media := response.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return nil
	}
	var value any
	if json.Unmarshal(body, &value) != nil {
		return nil
	}
	var found []string
	walkUndeclared(media.Schema.Value, value, "", &found)
	sort.Strings(found)
	return found
}

func walkUndeclared(schema *openapi3.Schema, value any, at string, found *[]string) {
	if schema == nil {
		return
	}
	switch v := value.(type) {
	case map[string]any:
		// A free-form object (such as an error's meta) declares nothing to drift from.
		if len(schema.Properties) == 0 {
			return
		}
		for key, member := range v {
			property, ok := schema.Properties[key]
			if !ok {
				*found = append(*found, at+"/"+pointerToken(key))
				continue
			}
			walkUndeclared(property.Value, member, at+"/"+pointerToken(key), found)
		}
	case []any:
		if schema.Items == nil {
			return
		}
		for i, item := range v {
			walkUndeclared(schema.Items.Value, item, at+"/"+strconv.Itoa(i), found)
		}
	}
}

func pointerToken(key string) string { return pointer([]string{key})[1:] }
