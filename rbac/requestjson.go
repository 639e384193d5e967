package rbac

import (
	"fmt"
	"strings"
)

// UnmarshalJSON replaces the request with the request document of rbac.md:
// {"action": A} or {"dataAction": A} (exactly one), "resourceId", and "attributes" in the form
// of request.md (whose "action", if given, must be A; absent, it is A).
func (r *Request) UnmarshalJSON(data []byte) error { return r.decode("", data) }

// ParseRequest reads a request document; file names it in errors.
func ParseRequest(doc Document) (*Request, error) {
	r := NewRequest()
	if err := r.decode(doc.Name, doc.Data); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Request) decode(file string, data []byte) error {
	if err := checkJSON(file, data); err != nil {
		return err
	}
	o, err := newObject(file, "request", "", data)
	if err != nil {
		return err
	}
	if err := o.onlyKeys("action", "dataAction", "resourceId", "attributes"); err != nil {
		return err
	}
	_, hasAction := o.m["action"]
	_, hasData := o.m["dataAction"]
	var plane Plane
	var key string
	switch {
	case hasAction && hasData:
		return o.errf("dataAction", "a request has either \"action\" (control plane) or \"dataAction\" (data plane), not both")
	case hasAction:
		plane, key = Control, "action"
	case hasData:
		plane, key = Data, "dataAction"
	default:
		return o.errf("action", "is required: give \"action\" (control plane) or \"dataAction\" (data plane)")
	}
	action, err := o.str(key)
	if err != nil {
		return err
	}
	if strings.TrimSpace(action) == "" {
		return o.errf(key, "must not be empty")
	}
	rid, err := o.required("resourceId")
	if err != nil {
		return err
	}
	if err := validScope(rid); err != nil {
		return o.errf("resourceId", "%q %v", clip(rid), err)
	}
	if v, ok := o.m["attributes"]; ok && !isNull(v) {
		if err := r.attrs.UnmarshalJSONWithAction(v, action); err != nil {
			return o.errf("attributes", "%v", err)
		}
		if got := r.attrs.Action(); !strings.EqualFold(got, action) {
			return o.errf("attributes.action", "%q differs from the request's %s %q", clip(got), key, clip(action))
		}
	} else {
		r.attrs.Reset()
	}
	r.SetOperation(plane, action)
	if err := r.SetResource(rid); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}
