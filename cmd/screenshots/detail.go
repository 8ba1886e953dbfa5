package main

// orderDetailShot is Layla's panel with her first shipped order open: its
// items, payments, parcel with tracking link, and address.
const orderDetailShot = "order-detail.png"

func init() {
	shots = append(shots, shot{orderDetailShot, 900, 1150, "light", "en", false})
}

// openOrderDetail opens the first shipped order's detail (a script click:
// a real one would focus the frame, which asks the host for the context
// again) and waits until its tracking link shows.
const openOrderDetail = `[...document.querySelectorAll("table.orders tbody tr")].find(tr => tr.querySelector(".badge[data-status=shipped], .badge[data-status=delivered]")).querySelector(".js-order-toggle").click()`

const orderDetailShown = `!!document.querySelector(".order-detail .tracking-link")`
