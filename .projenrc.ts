import { buildProject } from './projenrc/project';

buildProject().synth();
