package slurm

// skipValueGo delimits the first JSON value of data in plain Go (used where
// sonic has no native skipper; tested against sonic's on amd64). It only
// finds the end; the JSON library validates the bytes.
func skipValueGo(data []byte) (start, end int) {
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
