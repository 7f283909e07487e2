package sandbox

import (
	"sync"
	"time"

	"github.com/hamr-go/hamr/gen"
)

// store keeps one HAMR connection per org. The API has no DELETE, so a
// connection, once created, only changes.
type store struct {
	mu    sync.RWMutex
	conns map[string]gen.HamrOrgConnectionDataResponse
}

func newStore() *store {
	return &store{conns: map[string]gen.HamrOrgConnectionDataResponse{}}
}

// get returns a copy of the org's connection: the struct holds no pointers,
// so a reader never sees half of a concurrent write.
func (s *store) get(orgID string) (gen.HamrOrgConnectionDataResponse, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	conn, ok := s.conns[orgID]
	return conn, ok
}

// put upserts the org's connection (last writer wins) and returns what it
// stored.
func (s *store) put(orgID string, attrs gen.HamrOrgConnectionAttributesRequest, now time.Time) gen.HamrOrgConnectionDataResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	modifiedAt := modificationTime(now)
	if previous, ok := s.conns[orgID]; ok && !modifiedAt.After(previous.Attributes.ModifiedAt) {
		// Two updates within one microsecond (or a clock step back) must
		// still show modified_at moving forward.
		modifiedAt = previous.Attributes.ModifiedAt.Add(time.Microsecond)
	}
	conn := gen.HamrOrgConnectionDataResponse{
		Id:   orgID,
		Type: gen.HamrOrgConnectionTypeHAMRORGCONNECTIONS,
		Attributes: gen.HamrOrgConnectionAttributesResponse{
			HamrStatus:          attrs.HamrStatus,
			IsPrimary:           attrs.IsPrimary,
			ModifiedAt:          modifiedAt,
			ModifiedBy:          attrs.ModifiedBy,
			TargetOrgDatacenter: attrs.TargetOrgDatacenter,
			TargetOrgName:       attrs.TargetOrgName,
			TargetOrgUuid:       attrs.TargetOrgUuid,
		},
	}
	s.conns[orgID] = conn
	return conn
}

// delete forgets the org's connection (a sandbox control; the API cannot).
func (s *store) delete(orgID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, orgID)
}

// modificationTime is now in UTC with microseconds, as Datadog's example
// shows ("2026-01-13T17:26:48.830968Z"). time.Time marshals as RFC3339Nano,
// which drops a zero fraction, so a whole second is nudged by a microsecond
// to keep the sub-second digits every answer promises.
func modificationTime(now time.Time) time.Time {
	t := now.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		t = t.Add(time.Microsecond)
	}
	return t
}
