// Package pending explains why a pending Slurm job does not start, from the
// data the poller already holds (jobs, nodes, partitions, reservations) and
// what slurmdbd reports (QOS, associations, shares): Slurm's reason code in
// plain words, the numbers behind it, whether the job could ever start, and
// what would help, stated as facts. Pure functions over pkg/slurm's model;
// no Grafana SDK.
package pending

// Category groups Slurm's many reason codes into what an operator or user
// can act on.
type Category string

// The categories, in the order pages list them.
const (
	Resources   Category = "resources"   // the cluster has no room for it yet
	Priority    Category = "priority"    // other jobs go first
	Limit       Category = "limit"       // a QOS or association limit holds it
	Dependency  Category = "dependency"  // it waits for other jobs
	Reservation Category = "reservation" // a reservation is in the way or not usable
	Held        Category = "held"        // a user, an administrator or its begin time holds it
	Impossible  Category = "impossible"  // it can never start as submitted
	Other       Category = "other"       // a reason code this version does not know (raw text shown)
)

// Categories lists every category in display order.
func Categories() []Category {
	return []Category{Resources, Priority, Limit, Dependency, Reservation, Held, Impossible, Other}
}

// Title is the category as a person reads it.
func (c Category) Title() string {
	switch c {
	case Resources:
		return "Waiting for resources"
	case Priority:
		return "Waiting for priority"
	case Limit:
		return "Held by a limit"
	case Dependency:
		return "Waiting for other jobs"
	case Reservation:
		return "Blocked by a reservation"
	case Held:
		return "Held"
	case Impossible:
		return "Can never start"
	}
	return "Other reason"
}
