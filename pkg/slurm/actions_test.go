package slurm

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// serveCancelReread serves, for a cancel on a version whose refused cancels
// are a bare HTTP 200 (v0.0.40/41), the answer of reading the job again, and
// returns how many requests that adds (0 or 1). The recordings hold that
// read for the job root cancelled (job_after_cancel: CANCELLED). They hold
// none for alice's cancels; the README says bob's job stayed pending and held,
// so the recorded held job (job_held) stands for it, and job_after_cancel for
// alice's own cancelled job. checkCancelled reads only the states.
func serveCancelReread(t *testing.T, fs *fixtureServer, d fixtureDir, name string) int {
	t.Helper()
	if !strings.HasPrefix(name, "action_cancel_") || !adapterFor(d.Version).cancelHidesRefusal {
		return 0
	}
	entry := d.Manifest[name]
	if entry.HTTPStatus != http.StatusOK {
		return 0 // 23.11's v0.0.40 says 500: nothing to read again
	}
	after := "job_after_cancel"
	if name == "action_cancel_other_users_job_as_alice" {
		after = "job_held"
	}
	fs.serveRaw(http.MethodGet, entry.Path, http.StatusOK, d.body(t, after))
	return 1
}

// specOps reads one release's recorded /openapi/v3 document: for each path,
// its operations (method → operation object).
func specOps(t *testing.T, file string) (map[string]map[string]json.RawMessage, map[string]json.RawMessage) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return doc.Paths, doc.Components.Schemas
}

// bodyProperties resolves the JSON request body schema of op to its
// properties (name → type).
func bodyProperties(t *testing.T, op json.RawMessage, schemas map[string]json.RawMessage) map[string]string {
	t.Helper()
	var o struct {
		RequestBody struct {
			Content map[string]struct {
				Schema struct {
					Ref string `json:"$ref"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
	}
	if err := json.Unmarshal(op, &o); err != nil {
		t.Fatal(err)
	}
	ref := o.RequestBody.Content["application/json"].Schema.Ref
	var s struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(schemas[strings.TrimPrefix(ref, "#/components/schemas/")], &s); err != nil || len(s.Properties) == 0 {
		t.Fatalf("request body schema %q not found or empty (%v)", ref, err)
	}
	out := map[string]string{}
	for k, v := range s.Properties {
		out[k] = v.Type
	}
	return out
}

// Every action request the client builds exists in the OpenAPI document of
// every release that serves the version (22.05, 23.11, 25.05, 26.05), with a
// body whose fields that version's schema declares; and an action the
// client refuses as unsupported is absent from that document.
func TestActionRequestsMatchEachReleasesSpec(t *testing.T) {
	specs := map[string]string{
		"22.05.8":  "testdata/22.05.8/openapi-v3.json",
		"23.11.11": recordedFixtures + "/23.11.11/openapi-v3.json",
		"25.05.8":  recordedFixtures + "/25.05.8/openapi-v3.json",
		"26.05.3":  recordedFixtures + "/26.05.3/openapi-v3.json",
	}
	checked := map[string]bool{}
	for release, file := range specs {
		paths, schemas := specOps(t, file)
		for _, v := range SupportedVersions() {
			jobPath := "/slurm/" + v + "/job/{job_id}"
			if _, served := paths[jobPath]; !served {
				continue
			}
			checked[v] = true
			t.Run(release+"/"+v, func(t *testing.T) {
				var got []*http.Request
				var bodies [][]byte
				srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
					b, _ := io.ReadAll(r.Body)
					got, bodies = append(got, r), append(bodies, b)
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"errors":[],"warnings":[]}`))
				})
				c := testClient(t, srv.URL, v)
				for _, act := range []JobAction{JobHold, JobRelease, JobRequeue} {
					for _, id := range []string{"123", "123_4"} {
						got, bodies = nil, nil
						_, err := c.ActOnJob(ctx, act, id, "")
						requeueOp := paths[jobPath+"/requeue"]["get"]
						if act == JobRequeue && requeueOp == nil {
							var nv *NeedsVersionError
							if !errors.As(err, &nv) || nv.Since != "v0.0.45" || len(got) != 0 {
								t.Fatalf("requeue on %s: %v after %d requests, want a NeedsVersionError naming v0.0.45 and no request", v, err, len(got))
							}
							continue
						}
						if err != nil || len(got) != 1 {
							t.Fatalf("%s %s: %v (%d requests)", act, id, err, len(got))
						}
						eq(t, "path", got[0].URL.Path, "/slurm/"+v+"/job/"+id+map[bool]string{true: "/requeue"}[act == JobRequeue])
						op := paths[jobPath+map[bool]string{true: "/requeue"}[act == JobRequeue]][strings.ToLower(got[0].Method)]
						if op == nil {
							t.Fatalf("%s %s: %s is not in %s's spec", act, v, got[0].Method, release)
						}
						if got[0].Method == http.MethodPost {
							props := bodyProperties(t, op, schemas)
							var body map[string]any
							if err := json.Unmarshal(bodies[0], &body); err != nil {
								t.Fatal(err)
							}
							if want := act == JobHold; body["hold"] != want || len(body) != 1 {
								t.Errorf("%s body %s, want {\"hold\": %t}", act, bodies[0], want)
							}
							for k := range body {
								if props[k] != "boolean" {
									t.Errorf("%s %s: body field %q is %q in the spec, want boolean", act, v, k, props[k])
								}
							}
						}
					}
				}
				_, hasNodeUpdate := paths["/slurm/"+v+"/node/{node_name}"]["post"]
				got = nil
				_, err := c.ActOnNode(ctx, NodeResume, "node01", "", "")
				if hasNodeUpdate != (err == nil) || (!hasNodeUpdate && len(got) != 0) {
					t.Errorf("node update in spec: %t; client: %v after %d requests", hasNodeUpdate, err, len(got))
				}
			})
		}
	}
	for _, v := range SupportedVersions() {
		if !checked[v] {
			t.Errorf("no recorded spec serves %s", v)
		}
	}
}

// Job update and requeue answers carry results[]/status[] entries with a
// plain error string and error_code (the v0.0.40+ job_array_response_msg_entry
// of every recorded spec); an entry with a code is a refusal with Slurm's text.
func TestJobUpdateResultsEntries(t *testing.T) {
	cases := []struct {
		name, body string
		kind       ErrorKind
		number     int
		text       string
	}{
		{"update accepted", `{"results":[{"job_id":123,"step_id":"","error":"No error","error_code":0,"why":""}],"errors":[],"warnings":[]}`, KindUnknown, 0, ""},
		{"update refused", `{"results":[{"job_id":123,"error":"Access/permission denied","error_code":2002,"why":"not your job"}],"errors":[],"warnings":[]}`, Refused, 2002, "not your job"},
		{"requeue refused", `{"status":[{"job_id":123,"error":"Job/step already completing or completed","error_code":2021}],"errors":[],"warnings":[]}`, Refused, 2021, "already completing"},
		// 22.05.8 (seen live) answers a task update of an unsplit array record
		// with HTTP 200 and an error without a number.
		{"unnumbered error", `{"errors":[{"description":"job array update from [localhost]:50816 failed","source":"_parse_job_list"}]}`, Refused, 0, "job array update"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.body))
			})
			c := testClient(t, srv.URL, "v0.0.45")
			_, err := c.ActOnJob(ctx, JobHold, "123", "")
			if tc.kind == KindUnknown {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			se := wantKind(t, err, tc.kind, http.StatusOK)
			eq(t, "number", se.SlurmErrors[0].Number, tc.number)
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("message %q lacks %q", err, tc.text)
			}
		})
	}
}

// Requeue is a GET on v0.0.45 that changes the job: it is sent once, never
// retried like the reads, even on a 503.
func TestRequeueIsNotRetried(t *testing.T) {
	var n int
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, err := New(Config{URL: srv.URL, APIVersion: "v0.0.45", User: "root", Token: "t", MaxRetries: 3, RetryInitial: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	_, err = c.ActOnJob(ctx, JobRequeue, "123", "")
	wantKind(t, err, Server, http.StatusServiceUnavailable)
	eq(t, "requests", n, 1)
}

// The actions refuse bad input before any request.
func TestActionInputValidation(t *testing.T) {
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent for invalid input: %s", r.URL) })
	c := testClient(t, srv.URL, "v0.0.45")
	for _, id := range []string{"", "12a", "1_", "../1", "1 2", "123_[4-6]"} {
		_, err := c.ActOnJob(ctx, JobCancel, id, "")
		wantKind(t, err, InvalidInput, 0)
	}
	_, err := c.ActOnJob(ctx, JobAction("suspend"), "1", "")
	wantKind(t, err, InvalidInput, 0)
	_, err = c.ActOnJob(ctx, JobHold, "1", "alice;rm")
	wantKind(t, err, InvalidInput, 0)
	_, err = c.ActOnNode(ctx, NodeDrain, "node01", " ", "")
	wantKind(t, err, InvalidInput, 0) // drain needs a reason
	_, err = c.ActOnNode(ctx, NodeAction("reboot"), "node01", "", "")
	wantKind(t, err, InvalidInput, 0)
	_, err = c.ActOnNode(ctx, NodeResume, "node[01-02]", "", "")
	wantKind(t, err, InvalidInput, 0) // one node per request; callers expand lists
}

func TestActionFeature(t *testing.T) {
	eq(t, "requeue", ActionFeature("requeue"), FeatureJobRequeue)
	eq(t, "drain", ActionFeature("drain"), FeatureNodeUpdate)
	eq(t, "cancel", ActionFeature("cancel"), Feature(""))
	eq(t, "requeue since", Since(FeatureJobRequeue), "v0.0.45")
	eq(t, "node update since", Since(FeatureNodeUpdate), "v0.0.39")
}

// On v0.0.41 a cancel answered with a bare 200 is checked by reading the job
// again: a whole array still running and pending (the recorded sweep array)
// was refused; a job that had completed had nothing to cancel; one read as
// CANCELLED was cancelled.
func TestCancelReadAgainOnV0041(t *testing.T) {
	d := fixtureDirFor(t, "25.05.8", "v0.0.41")
	bare := d.body(t, "action_cancel_other_users_job_as_alice") // {"errors":[],"warnings":[]} with HTTP 200
	cases := []struct {
		after  string
		ok     bool
		ended  bool
		states string
	}{
		{"job_array", false, false, ""},
		{"job_completed", false, true, "COMPLETED"},
		{"job_after_cancel", true, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.after, func(t *testing.T) {
			id := lastPathElem(d.Manifest[tc.after].Path)
			fs := newFixtureServer(t)
			fs.serveRaw(http.MethodDelete, "/slurm/v0.0.41/job/"+id, http.StatusOK, bare)
			fs.serve(d, tc.after)
			c := testClient(t, fs.URL, "v0.0.41")
			err := c.CancelJob(ctx, id, "")
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantKind(t, err, Refused, http.StatusOK)
			var hidden *HiddenRefusalError
			if !errors.As(err, &hidden) || hidden.Ended != tc.ended || (tc.states != "" && hidden.State != tc.states) {
				t.Errorf("got %v", err)
			}
		})
	}
}

// Reading the job again only counts as "gone" when slurmctld says so
// (error 2017); a bare 404 (a proxy, a path slurmrestd lacks) cannot tell.
func TestCancelReadAgainNeedsSlurmsWord(t *testing.T) {
	d := fixtureDirFor(t, "25.05.8", "v0.0.41")
	fs := newFixtureServer(t)
	fs.serveRaw(http.MethodDelete, "/slurm/v0.0.41/job/7024", http.StatusOK, d.body(t, "action_cancel_other_users_job_as_alice"))
	fs.serveRaw(http.MethodGet, "/slurm/v0.0.41/job/7024", http.StatusNotFound, nil)
	c := testClient(t, fs.URL, "v0.0.41")
	if err := c.CancelJob(ctx, "7024", ""); err == nil || !strings.Contains(err.Error(), "reading the job again") {
		t.Fatalf("a bare 404 read as success: %v", err)
	}
	gone := newFixtureServer(t)
	gone.serveRaw(http.MethodDelete, "/slurm/v0.0.41/job/7024", http.StatusOK, d.body(t, "action_cancel_other_users_job_as_alice"))
	gone.serve(d, "error_job_not_found")
	c = testClient(t, gone.URL, "v0.0.41")
	entry := d.Manifest["error_job_not_found"]
	gone.serveRaw(http.MethodDelete, "/slurm/v0.0.41/job/"+lastPathElem(entry.Path), http.StatusOK, d.body(t, "action_cancel_other_users_job_as_alice"))
	if err := c.CancelJob(ctx, lastPathElem(entry.Path), ""); err != nil {
		t.Fatalf("slurmctld's 'Invalid job id' after the cancel: the job is gone, %v", err)
	}
}
