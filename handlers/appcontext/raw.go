package appcontext

import "bytes"

// RawOf is the part of Decode's Message that the payload explorer keeps
// (Raw and WasString), without decoding the message: for a body that Decode
// already accepted once, when the panel answers "unchanged" from its version.
func RawOf(body []byte) (*Message, error) {
	raw, wasString, err := unwrap(body)
	if err != nil {
		return nil, err
	}
	if !wasString {
		raw = bytes.Clone(raw) // unwrap's copy only for the string form
	}
	return &Message{Raw: raw, WasString: wasString}, nil
}
