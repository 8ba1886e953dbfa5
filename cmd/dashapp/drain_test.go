package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// On SIGTERM the server says at once that it is going (503 "shutting
// down"), keeps answering with Connection: close for the drain, finishes
// the request in flight, and exits 0.
func TestSIGTERMDrainsThenStops(t *testing.T) {
	p := startProcess(t, "", nil, "-drain", "2s")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	waitReady(t, p.base)
	if resp := mustGet(t, client, p.base+"/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz before SIGTERM: %d", resp.StatusCode)
	}

	// A request in flight: its headers are sent, its body not yet.
	inflight, err := net.Dial("tcp", strings.TrimPrefix(p.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer inflight.Close()
	body := `{"event":"appContext","data":{"contact":{"id":1}}}`
	fmt.Fprintf(inflight, "POST /context HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10])

	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	var resp *http.Response
	for {
		resp = mustGet(t, client, p.base+"/readyz")
		if resp.StatusCode == http.StatusServiceUnavailable || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(readAll(t, resp), "shutting down") {
		t.Fatalf("readyz after SIGTERM: %d, want 503 shutting down", resp.StatusCode)
	}
	if !resp.Close {
		t.Error("readyz during the drain did not carry Connection: close")
	}
	// Still serving, within the drain.
	health := mustGet(t, client, p.base+"/healthz")
	if health.StatusCode != http.StatusOK || !health.Close {
		t.Errorf("healthz during the drain: %d, close %v; want 200 with Connection: close", health.StatusCode, health.Close)
	}
	if elapsed := time.Since(sent); elapsed > 2*time.Second {
		t.Fatalf("the drain checks took %s, past the drain itself", elapsed)
	}

	// The request in flight completes and gets its answer.
	fmt.Fprint(inflight, body[10:])
	answer, err := http.ReadResponse(bufio.NewReader(inflight), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	if answer.StatusCode != http.StatusOK {
		t.Errorf("the request in flight: %d", answer.StatusCode)
	}

	if err := p.wait(t, 15*time.Second); err != nil {
		t.Fatalf("dashapp exited with %v after SIGTERM\n%s", err, p.out.String())
	}
	if time.Since(sent) < 2*time.Second {
		t.Errorf("dashapp stopped %s after SIGTERM, before the 2 s drain", time.Since(sent))
	}
	if !strings.Contains(p.out.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", p.out.String())
	}
}

func mustGet(t *testing.T, client *http.Client, url string) *http.Response {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A request that began before SIGTERM and is answered after it (its
// handler saw the drain, as /readyz does) still carries Connection:
// close: under load that window let a 503 "shutting down" keep its
// connection alive.
func TestDrainClosesAnswersGivenAfterItStarted(t *testing.T) {
	d := &drain{}
	app := fiber.New()
	app.Use(d.closeConnections)
	app.Get("/", func(c *fiber.Ctx) error {
		d.start() // SIGTERM arrives while this request is being served
		return c.SendStatus(fiber.StatusServiceUnavailable)
	})
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Close {
		t.Error("an answer given during the drain did not carry Connection: close")
	}
}
