module github.com/hpc-slurm/hpc-slurm-app

go 1.26.5

require (
	github.com/BurntSushi/toml v1.6.0 // indirect
	github.com/grafana/grafana-plugin-sdk-go v0.296.5 // indirect
	github.com/magefile/mage v1.17.2 // indirect
	golang.org/x/exp/typeparams v0.0.0-20231108232855-2478ac86f678 // indirect
	golang.org/x/mod v0.41.0 // indirect
	golang.org/x/sync v0.23.0 // indirect
	golang.org/x/tools v0.51.0 // indirect
	honnef.co/go/tools v0.8.2 // indirect
)

tool (
	github.com/magefile/mage
	honnef.co/go/tools/cmd/staticcheck
)
