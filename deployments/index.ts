// The Deployments settings program (project osint-platform-deployments, stack `settings`).
import { deploymentSettings, readSettingsConfig } from "./settings";

export = async () => deploymentSettings(readSettingsConfig());
