package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/rbac"
)

// condition is one condition read from a file: text, or a field of a role-assignment JSON.
type condition struct {
	// name is the condition's name within a JSON array ("" for a text file).
	name string
	// label names it in diagnostics: the path, with [name] for JSON inputs.
	label string
	src   string
}

// loadConditions reads a condition file per the CLI contract: a file whose whole content is a
// JSON object or array is a role assignment (or a list of them); anything else is condition text.
func loadConditions(path string, data []byte) ([]condition, error) {
	label := path
	if path == "-" {
		label = "<stdin>"
	}
	if isBundle(data) {
		return nil, fmt.Errorf("%s is a compiled bundle, not a condition: evaluate it with eval -b, list it with disasm", label)
	}
	trimmed := bytes.TrimSpace(data)
	// A byte-order mark may open a JSON document (editors write one); condition text keeps it,
	// and the scanner names it.
	if t := bytes.TrimPrefix(trimmed, []byte("\xef\xbb\xbf")); len(t) < len(trimmed) && len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		trimmed = t
	}
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return []condition{{label: label, src: string(data)}}, nil
	}
	if !json.Valid(trimmed) {
		// JSON nested deeper than the decoder goes is still JSON, not a condition.
		var v any
		if err := json.Unmarshal(trimmed, &v); err != nil && strings.Contains(err.Error(), "exceeded max depth") {
			return nil, fmt.Errorf("%s: JSON nested deeper than 10,000 levels", label)
		}
		return []condition{{label: label, src: string(data)}}, nil
	}
	if looksLikeAssignments(trimmed) {
		return assignmentConditions(label, path, trimmed)
	}
	if trimmed[0] == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &obj); err != nil {
			return nil, fmt.Errorf("%s: %v", label, err)
		}
		c, ok, err := assignmentCondition(obj)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", label, err)
		}
		if !ok {
			return nil, fmt.Errorf("%s: JSON object has no \"condition\" string", label)
		}
		return []condition{{label: label, src: c}}, nil
	}
	var arr []map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &arr); err != nil {
		return nil, fmt.Errorf("%s: a JSON array must hold role-assignment objects: %v", label, err)
	}
	var out []condition
	seen := map[string]bool{}
	for i, obj := range arr {
		c, ok, err := assignmentCondition(obj)
		name := assignmentName(obj, i)
		if err != nil {
			return nil, fmt.Errorf("%s[%s]: %v", label, name, err)
		}
		if !ok {
			continue // an assignment without a condition: nothing to check or evaluate
		}
		if seen[name] {
			return nil, fmt.Errorf("%s: two conditions are named %q", label, name)
		}
		seen[name] = true
		out = append(out, condition{name: name, label: label + "[" + name + "]", src: c})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no role assignment in the array has a condition", label)
	}
	return out, nil
}

// assignmentCondition extracts "condition", checking "conditionVersion" when present.
func assignmentCondition(obj map[string]json.RawMessage) (string, bool, error) {
	raw, ok := obj["condition"]
	if !ok || string(raw) == "null" {
		return "", false, nil
	}
	var c string
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", false, fmt.Errorf("\"condition\" must be a string")
	}
	if v, ok := obj["conditionVersion"]; ok && string(v) != "null" {
		var ver string
		if err := json.Unmarshal(v, &ver); err != nil {
			return "", false, fmt.Errorf("conditionVersion must be the string \"2.0\", not %s", diag.Clip(string(v)))
		}
		if ver != "2.0" {
			return "", false, fmt.Errorf("conditionVersion %q is not supported (abacc reads condition version \"2.0\")", diag.Clip(ver))
		}
	}
	return c, true, nil
}

func assignmentName(obj map[string]json.RawMessage, i int) string {
	for _, k := range []string{"name", "id"} {
		var s string
		if raw, ok := obj[k]; ok && json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
	}
	return strconv.Itoa(i)
}

// looksLikeAssignments reports whether a JSON document is a list (or page) of Azure role
// assignments: elements with a principalId, flattened or under "properties".
func looksLikeAssignments(data []byte) bool {
	var list []map[string]json.RawMessage
	if data[0] == '{' {
		var page struct {
			Value []map[string]json.RawMessage `json:"value"`
		}
		if json.Unmarshal(data, &page) != nil || page.Value == nil {
			return false
		}
		list = page.Value
	} else if json.Unmarshal(data, &list) != nil {
		return false
	}
	for _, el := range list {
		if _, ok := el["principalId"]; ok {
			return true
		}
		var props map[string]json.RawMessage
		if raw, ok := el["properties"]; ok && json.Unmarshal(raw, &props) == nil {
			if _, ok := props["principalId"]; ok {
				return true
			}
		}
	}
	return false
}

// assignmentConditions reads role assignments as the RBAC engine does (az CLI, REST, pages)
// and names each condition by its assignment's id.
func assignmentConditions(label, path string, data []byte) ([]condition, error) {
	as, err := rbac.ParseRoleAssignments(rbac.Document{Name: label, Data: data})
	if err != nil {
		return nil, err
	}
	var out []condition
	for _, a := range as {
		if a.Condition == "" {
			continue
		}
		out = append(out, condition{name: a.ID, label: label + "[" + a.ID + "]", src: a.Condition})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no role assignment has a condition", label)
	}
	return out, nil
}
