/** What a hostile user pastes; each is tried alone and glued to a valid value. */
export const injections = [
  "; Stop-Service AIPScanner",
  "`whoami`",
  "$(Stop-Service AIPScanner)",
  "\nRemove-Item C:\\ -Recurse",
  "| calc.exe",
  "&& shutdown /s /t 0",
  "\r\nInvoke-Expression $env:SECRET",
  "scan\u201101", // non-breaking hyphen instead of '-'
  "\uff53\uff43\uff41\uff4e-01", // fullwidth "scan"
  "\u202escan-01", // right-to-left override
  "scan-01\u0000",
  "scan-01\u200b", // zero-width space
];

/** Node names that try to walk out of wherever a name might end up (URL, file, log path). */
export const traversals = [
  "../../etc/passwd",
  "..\\..\\Windows\\win.ini",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%5c..%5cWindows",
  "/etc/passwd",
  "C:\\Windows\\System32\\config\\SAM",
  "\\\\fileserver\\c$\\",
  "scan-01/../scan-02",
  "file:///etc/passwd",
  "http://169.254.169.254/latest/meta-data",
];
