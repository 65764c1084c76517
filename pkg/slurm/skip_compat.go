//go:build !((amd64 && go1.17 && !go1.28) || (arm64 && go1.20 && !go1.28))

package slurm

// skipValue delimits the first JSON value of data where sonic has no native
// skipper. It only finds the end; the JSON library validates the bytes.
func skipValue(data []byte) (start, end int) {
	i := 0
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	if i == len(data) {
		return -1, 0
	}
	start = i
	depth := 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '"':
			i++
			for ; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if i >= len(data) {
				return -1, 0
			}
			if depth == 0 {
				return start, i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return start, i + 1
			}
			if depth < 0 {
				return -1, 0
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return start, i
			}
		}
	}
	if depth == 0 {
		return start, len(data)
	}
	return -1, 0
}
