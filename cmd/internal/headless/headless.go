// Package headless holds the one set of Chromium flags that the browser
// tests and the screenshots command share: headless, sandbox off (it needs
// privileges containers lack), and every background service that would
// reach the network or make runs differ switched off.
package headless

import "github.com/chromedp/chromedp"

// Options starts the Chromium at execPath with a fresh profile in
// userDataDir and a window of width×height CSS pixels.
func Options(execPath, userDataDir string, width, height int) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(userDataDir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(width, height),
	)
}
