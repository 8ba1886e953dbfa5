package webhooks

import "testing"

func TestWebURL(t *testing.T) {
	for in, want := range map[string]string{
		" https://semsa.com/tracking/1 ": "https://semsa.com/tracking/1", "http://a.example/x": "http://a.example/x",
		"0": "", "SALLA000121": "", "N/A": "", "javascript:alert(1)": "", "//evil.example": "", "": "",
	} {
		if got := WebURL(in); got != want {
			t.Errorf("WebURL(%q) = %q, want %q", in, got, want)
		}
	}
}
