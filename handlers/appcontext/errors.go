package appcontext

import (
	"errors"
	"fmt"
)

// Reason classifies why a message was rejected, for logs and metrics.
type Reason string

const (
	ReasonNotJSON      Reason = "not_json"
	ReasonNotObject    Reason = "not_object"
	ReasonUnknownEvent Reason = "unknown_event"
	ReasonTooDeep      Reason = "too_deep"
)

// DecodeError is a message the app cannot use. Error() is an English
// sentence meant for the developer wiring the app to a dashboard.
type DecodeError struct {
	Reason Reason
	Detail string
}

func (e *DecodeError) Error() string {
	switch e.Reason {
	case ReasonNotJSON:
		return "the message is not JSON: " + e.Detail
	case ReasonNotObject:
		return fmt.Sprintf(`the message is JSON but not an object (got %s); expected {"event":"appContext","data":{...}}`, e.Detail)
	case ReasonUnknownEvent:
		if e.Detail == "" {
			return `the message has no "event" field; expected "appContext"`
		}
		return fmt.Sprintf("the message is a %q event, not %q", e.Detail, EventAppContext)
	case ReasonTooDeep:
		return "the message is nested too deeply: " + e.Detail
	}
	return fmt.Sprintf("the message was rejected (%s): %s", e.Reason, e.Detail)
}

// maxEventDetail bounds the event name echoed in errors and logs.
const maxEventDetail = 40

// readError turns a cursor's failure on input into a DecodeError.
func readError(input []byte, err error) *DecodeError {
	var deep *depthError
	if errors.As(err, &deep) {
		return &DecodeError{Reason: ReasonTooDeep, Detail: deep.Error()}
	}
	return &DecodeError{Reason: ReasonNotJSON, Detail: describe(input, err)}
}
