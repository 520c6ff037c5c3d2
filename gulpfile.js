const { rmSync } = require('fs');
const { src, dest, parallel } = require('gulp');

// A build starts from an empty dist/, so nothing left over from an earlier build is ever packed.
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

// tsc compiles the TypeScript; the icons (one home, icons/) and codex files are copied next to it.
function copyIcons() {
	return src('icons/*.svg', { base: '.', encoding: false }).pipe(dest('dist'));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:assets'] = parallel(copyIcons, copyCodex);
