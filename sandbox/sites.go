package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Deployment is one site's sandbox, listening on one address. Each has its
// own state: a connection stored on one site is not seen on another, as on
// Datadog, where each site is a separate deployment.
type Deployment struct {
	Site   string
	URL    string // http://127.0.0.1:PORT
	Server *Server

	http *http.Server
	done chan error
}

// Deployments are running sandboxes, one per site, in the order started.
type Deployments []*Deployment

// Start starts one sandbox per site, each on its own random loopback port,
// from the same cfg (cfg.Site is set per site). Close them when done.
func Start(sites []string, cfg Config) (Deployments, error) {
	var started Deployments
	for _, site := range sites {
		d, err := StartOn(site, "127.0.0.1:0", cfg)
		if err != nil {
			_ = started.Close(context.Background())
			return nil, err
		}
		started = append(started, d)
	}
	return started, nil
}

// StartOn starts one site's sandbox on addr ("127.0.0.1:0" for a random port).
func StartOn(site, addr string, cfg Config) (*Deployment, error) {
	cfg.Site = site
	server, err := New(cfg)
	if err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox for %s: listen on %s: %w", site, addr, err)
	}
	d := &Deployment{
		Site:   site,
		URL:    "http://" + listener.Addr().String(),
		Server: server,
		http:   &http.Server{Handler: server, ReadHeaderTimeout: 10 * time.Second},
		done:   make(chan error, 1),
	}
	go func() { d.done <- d.http.Serve(listener) }()
	return d, nil
}

// Close stops the deployment, letting requests in flight finish until ctx ends.
func (d *Deployment) Close(ctx context.Context) error {
	err := d.http.Shutdown(ctx)
	if serveErr := <-d.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

// Close stops every deployment.
func (ds Deployments) Close(ctx context.Context) error {
	var errs []error
	for _, d := range ds {
		errs = append(errs, d.Close(ctx))
	}
	return errors.Join(errs...)
}

// Site returns the deployment for site, or nil.
func (ds Deployments) Site(site string) *Deployment {
	for _, d := range ds {
		if d.Site == site {
			return d
		}
	}
	return nil
}
