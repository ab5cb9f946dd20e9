// Copies the icons and codex files next to the compiled nodes and credentials (what n8n loads from dist/).
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const assets = /\.(svg|png|json)$/;

function copy(dir) {
	for (const name of readdirSync(join(root, dir))) {
		const path = join(dir, name);
		if (statSync(join(root, path)).isDirectory()) {
			copy(path);
		} else if (assets.test(name)) {
			cpSync(join(root, path), join(root, 'dist', path));
			console.log(`copied ${relative(root, join(root, path))}`);
		}
	}
}

copy('nodes');
copy('credentials');
